import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { useState } from 'preact/hooks';
import { ConfirmButton, ErrorMessage, Status, useAction, useLoad } from './common';
import { href } from './router';
import { formatDate, type Session } from './s3';

/** IAM users of the signed-in account (the root, or a user allowed iam:ListUsers). */
export function UsersPage({ session }: { session: Session }) {
  const users = useLoad(() => session.iam.send(new ListUsersCommand({})), [session]);
  const [error, setError] = useState<unknown>(null);

  async function create(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const userName = String(new FormData(form).get('userName') ?? '').trim();
    setError(null);
    try {
      await session.iam.send(new CreateUserCommand({ UserName: userName }));
      form.reset();
      location.hash = href({ page: 'user', userName });
    } catch (e) {
      setError(e);
    }
  }

  const list = users.value?.Users ?? [];
  return (
    <>
      <h1>Users</h1>
      <form class="inline-form" onSubmit={create}>
        <label for="new-user">
          New user name
          <input id="new-user" name="userName" required maxLength={64} spellcheck={false} />
        </label>
        <button type="submit">Create user</button>
      </form>
      <ErrorMessage error={error} />
      <ErrorMessage error={users.error} />
      {users.value && (
        <table id="users">
          <caption>{list.length === 1 ? '1 user' : `${list.length} users`}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">ARN</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {list.map((u) => (
              <tr key={u.UserName} data-user={u.UserName}>
                <td>
                  <a href={href({ page: 'user', userName: u.UserName ?? '' })}>{u.UserName}</a>
                </td>
                <td>
                  <code>{u.Arn}</code>
                </td>
                <td>{formatDate(u.CreateDate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function UserPage({ session, userName }: { session: Session; userName: string }) {
  const keys = useLoad(() => session.iam.send(new ListAccessKeysCommand({ UserName: userName })), [session, userName]);
  const policies = useLoad(async () => {
    const names = (await session.iam.send(new ListUserPoliciesCommand({ UserName: userName }))).PolicyNames ?? [];
    return Promise.all(
      names.map(async (name) => {
        const { PolicyDocument } = await session.iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: name }));
        // IAM answers the document URL-encoded, as AWS does.
        return { name, document: prettyJson(decodeURIComponent(PolicyDocument ?? '')) };
      }),
    );
  }, [session, userName]);
  const [newSecret, setNewSecret] = useState<{ id: string; secret: string } | null>(null);
  const { error, message, act, setError } = useAction(() => {
    keys.reload();
    policies.reload();
  });

  const createKey = () =>
    act(
      async () => {
        const { AccessKey } = await session.iam.send(new CreateAccessKeyCommand({ UserName: userName }));
        setNewSecret({ id: AccessKey?.AccessKeyId ?? '', secret: AccessKey?.SecretAccessKey ?? '' });
      },
      '',
      keys.reload,
    );

  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumbs">
        <ul>
          <li>
            <a href={href({ page: 'users' })}>Users</a>
          </li>
          <li aria-current="page">{userName}</li>
        </ul>
      </nav>
      <h1>{userName}</h1>
      <ErrorMessage error={error} />
      {message && <Status>{message}</Status>}
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">Access keys</h2>
        <ErrorMessage error={keys.error} />
        {newSecret && (
          <div class="secret-once" role="region" aria-label="New access key">
            <p>
              <strong>Copy the secret now: it is shown this once.</strong> Sediment keeps it sealed and never shows it again.
            </p>
            <label for="new-key-id">
              Access key ID
              <input id="new-key-id" readOnly value={newSecret.id} />
            </label>
            <label for="new-key-secret">
              Secret access key
              <input id="new-key-secret" readOnly value={newSecret.secret} onFocus={(e) => e.currentTarget.select()} />
            </label>
            <button type="button" class="outline" onClick={() => setNewSecret(null)}>
              I have copied it
            </button>
          </div>
        )}
        <table id="access-keys">
          <thead>
            <tr>
              <th scope="col">Access key ID</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(keys.value?.AccessKeyMetadata ?? []).map((k) => {
              const id = k.AccessKeyId ?? '';
              const next = k.Status === 'Active' ? 'Inactive' : 'Active';
              return (
                <tr key={id} data-access-key={id}>
                  <td>
                    <code>{id}</code>
                  </td>
                  <td>{k.Status}</td>
                  <td>{formatDate(k.CreateDate)}</td>
                  <td class="actions">
                    <button
                      type="button"
                      class="outline"
                      aria-label={`${next === 'Active' ? 'Activate' : 'Deactivate'} ${id}`}
                      onClick={() => void act(() => session.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: id, Status: next })), `${id} is ${next}.`)}
                    >
                      {next === 'Active' ? 'Activate' : 'Deactivate'}
                    </button>{' '}
                    <ConfirmButton
                      label="Delete"
                      name={`Delete access key ${id}`}
                      confirmLabel={`Delete access key ${id}`}
                      onConfirm={() => void act(() => session.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: id })), `Deleted ${id}.`)}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button type="button" onClick={() => void createKey()}>
          Create access key
        </button>
      </section>
      <section aria-labelledby="policies-heading">
        <h2 id="policies-heading">Inline policies</h2>
        <ErrorMessage error={policies.error} />
        {(policies.value ?? []).map((p) => (
          <PolicyEditor
            key={p.name}
            name={p.name}
            initial={p.document}
            onSave={(document) => act(() => session.iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: p.name, PolicyDocument: document })), `Saved policy ${p.name}.`)}
            onDelete={() => void act(() => session.iam.send(new DeleteUserPolicyCommand({ UserName: userName, PolicyName: p.name })), `Deleted policy ${p.name}.`)}
          />
        ))}
        <NewPolicy
          onSave={(name, document) => act(() => session.iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: name, PolicyDocument: document })), `Saved policy ${name}.`)}
        />
      </section>
      <section aria-labelledby="delete-user-heading">
        <h2 id="delete-user-heading">Delete the user</h2>
        <p>IAM refuses while the user still has access keys or policies.</p>
        <ConfirmButton
          label="Delete user"
          name={`Delete user ${userName}`}
          confirmLabel={`Delete user ${userName}`}
          onConfirm={() =>
            void session.iam.send(new DeleteUserCommand({ UserName: userName })).then(
              () => (location.hash = href({ page: 'users' })),
              (e: unknown) => setError(e),
            )
          }
        />
      </section>
    </>
  );
}

const TEMPLATE = JSON.stringify(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:ListAllMyBuckets', 's3:ListBucket', 's3:GetObject'], Resource: '*' }] },
  null,
  2,
);

function NewPolicy({ onSave }: { onSave: (name: string, document: string) => Promise<void> }) {
  const [name, setName] = useState('');
  return (
    <details>
      <summary>Add an inline policy</summary>
      <label for="new-policy-name">
        Policy name
        <input id="new-policy-name" value={name} onInput={(e) => setName(e.currentTarget.value)} required spellcheck={false} />
      </label>
      <PolicyEditor name={name} initial={TEMPLATE} idSuffix="new" onSave={(document) => onSave(name, document)} />
    </details>
  );
}

/** A JSON editor that says what is wrong as you type; what IAM refuses, it says in IAM's words. */
function PolicyEditor(props: { name: string; initial: string; idSuffix?: string; onSave: (document: string) => Promise<void>; onDelete?: () => void }) {
  const { name, initial, idSuffix, onSave, onDelete } = props;
  const [text, setText] = useState(initial);
  const problem = jsonProblem(text);
  const id = `policy-${idSuffix ?? name}`;
  return (
    <form
      class="policy-editor"
      data-policy={idSuffix ?? name}
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem) void onSave(text);
      }}
    >
      <label for={id}>
        {idSuffix ? 'Policy document (JSON)' : `Policy ${name} (JSON)`}
        <textarea
          id={id}
          rows={Math.min(20, text.split('\n').length + 1)}
          spellcheck={false}
          value={text}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      {problem && (
        <small id={`${id}-problem`} class="error" role="alert">
          {problem}
        </small>
      )}
      <button type="submit" disabled={problem !== null || !name}>
        Save policy
      </button>{' '}
      {onDelete && <ConfirmButton label="Delete policy" name={`Delete policy ${name}`} confirmLabel={`Delete policy ${name}`} onConfirm={onDelete} />}
    </form>
  );
}

/** What keeps the text from being a policy document, checked before IAM sees it: JSON, an object, a Statement. */
export function jsonProblem(text: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return `Not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'A policy document is a JSON object.';
  if (!('Statement' in parsed)) return 'A policy document needs a "Statement".';
  return null;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
