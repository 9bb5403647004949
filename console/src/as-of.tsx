import { useEffect, useState } from 'preact/hooks';
import { ErrorMessage } from './common';
import { sedimentGet, textOf } from './history';
import type { Session } from './s3';

interface AsOfView {
  asOf: string;
  offset?: string;
  exists: boolean;
  objects: { key: string; versionId: string; etag: string }[];
}

/**
 * The bucket as it was at a past moment (GetBucketAsOf, ADR 0029): its objects folded from the
 * log up to a time or an offset. Read-only.
 */
export function AsOf({ session, bucket, requested }: { session: Session; bucket: string; requested: { value: string } | null }) {
  const [value, setValue] = useState('');
  const [view, setView] = useState<AsOfView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function show(asOf: string) {
    setBusy(true);
    setError(null);
    try {
      const root = await sedimentGet(session, bucket, undefined, { 'sediment-as-of': asOf });
      setView({
        asOf,
        offset: textOf(root, 'Offset'),
        exists: textOf(root, 'Exists') === 'true',
        objects: Array.from(root.getElementsByTagName('Contents')).map((c) => ({
          key: textOf(c, 'Key') ?? '',
          versionId: textOf(c, 'VersionId') ?? '',
          etag: textOf(c, 'ETag') ?? '',
        })),
      });
    } catch (e) {
      setView(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  // "As of here" in the bucket's history asks for a moment.
  useEffect(() => {
    if (requested === null) return;
    setValue(requested.value);
    void show(requested.value);
    document.getElementById('as-of-heading')?.scrollIntoView();
  }, [requested]);

  return (
    <section aria-labelledby="as-of-heading">
      <h2 id="as-of-heading">As of</h2>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void show(value.trim());
        }}
      >
        <label for="as-of-input">
          Show the bucket as of an ISO time (2026-12-08T10:00:00Z) or a log offset
          <input id="as-of-input" value={value} onInput={(e) => setValue(e.currentTarget.value)} required spellcheck={false} />
        </label>
        <button type="submit" aria-busy={busy} disabled={busy}>
          Show as of
        </button>
      </form>
      <ErrorMessage error={error} />
      {view && !view.exists && <p id="as-of-none">The bucket did not exist as of {view.asOf}.</p>}
      {view && view.exists && (
        <table id="as-of">
          <caption>
            {view.objects.length === 1 ? '1 object' : `${view.objects.length} objects`} as of {view.asOf}
            {view.offset !== undefined && ` (its events up to offset ${view.offset})`}, read-only
          </caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Version</th>
              <th scope="col">ETag</th>
            </tr>
          </thead>
          <tbody>
            {view.objects.map((o) => (
              <tr key={o.key} data-key={o.key} data-version-id={o.versionId}>
                <td>{o.key}</td>
                <td>
                  <code>{o.versionId}</code>
                </td>
                <td>
                  <code>{o.etag}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
