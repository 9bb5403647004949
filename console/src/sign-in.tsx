import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { useState } from 'preact/hooks';
import { ErrorMessage } from './common';
import { createSession, errorCode, type ConsoleConfig, type Session } from './s3';

/** Codes that mean the key itself is wrong, not that it may not list buckets. */
const BAD_CREDENTIALS = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidClientTokenId', 'AuthorizationHeaderMalformed']);

export function SignIn({ config, onSignedIn }: { config: ConsoleConfig; onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const accessKeyId = String(data.get('accessKeyId') ?? '').trim();
    const secret = String(data.get('secretAccessKey') ?? '');
    setBusy(true);
    setError(null);
    const session = createSession(config, accessKeyId, secret);
    try {
      await session.s3.send(new ListBucketsCommand({}));
    } catch (e) {
      // A user that may not list buckets still signs in; one whose key is refused does not.
      if (BAD_CREDENTIALS.has(errorCode(e) ?? '')) {
        setBusy(false);
        setError(e);
        return;
      }
    }
    form.reset();
    onSignedIn(session);
  }

  return (
    <main class="container narrow">
      <h1>Sediment console</h1>
      <form onSubmit={submit} aria-describedby="sign-in-note">
        <label for="access-key-id">
          Access key ID
          <input id="access-key-id" name="accessKeyId" autocomplete="username" required spellcheck={false} />
        </label>
        <label for="secret-access-key">
          Secret access key
          <input id="secret-access-key" name="secretAccessKey" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit" aria-busy={busy} disabled={busy}>
          Sign in
        </button>
      </form>
      <ErrorMessage error={error} />
      <p id="sign-in-note" class="note">
        Every action is an S3 or IAM request signed with this key in this tab. The secret stays in this tab's memory only: it
        is never stored, and closing or reloading the tab forgets it. The credentials that <code>scripts/start.sh</code> made
        are in <code>.data/aws.env</code>.
      </p>
    </main>
  );
}
