import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from './s3';

/** An API error, in the API's words, announced to screen readers. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  return (
    <p role="alert" class="error">
      {describeError(error)}
    </p>
  );
}

export function Status({ children }: { children: ComponentChildren }) {
  return (
    <p role="status" class="status">
      {children}
    </p>
  );
}

/** Loads something, and again on `reload()` or when `deps` change; keeps the last error. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ value?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (value) => current && setState({ value, loading: false }),
      (error: unknown) => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}

/**
 * What the page's actions did: the API's error, or what the last one did. `act` clears both, runs
 * `what`, then says `done` and calls `after` (a reload); a failure leaves the error to show.
 */
export function useAction(after: () => void) {
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');
  async function act(what: () => Promise<unknown>, done: string, then: () => void = after): Promise<void> {
    setError(null);
    setMessage('');
    try {
      await what();
      setMessage(done);
      then();
    } catch (e) {
      setError(e);
    }
  }
  return { error, message, act, setError };
}

/** A button that asks once more before it does something that cannot be undone. */
export function ConfirmButton(props: { label: string; name: string; confirmLabel: string; onConfirm: () => void; disabled?: boolean }) {
  const { label, name, confirmLabel, onConfirm, disabled } = props;
  const [asking, setAsking] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  // Keyboard users land on the question, not back at the top of the page.
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" class="secondary" aria-label={name} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span class="confirm" role="group" aria-label={confirmLabel}>
      <button
        type="button"
        class="danger"
        ref={confirm}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>{' '}
      <button type="button" class="outline" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
