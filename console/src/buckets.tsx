import { CreateBucketCommand, DeleteBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { ConfirmButton, ErrorMessage, Status, useAction, useLoad } from './common';
import { href } from './router';
import { formatDate, type Session } from './s3';

export function BucketsPage({ session }: { session: Session }) {
  const buckets = useLoad(() => session.s3.send(new ListBucketsCommand({})), [session]);
  const { error, message, act } = useAction(buckets.reload);

  async function create(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const name = String(new FormData(form).get('bucket') ?? '').trim();
    await act(async () => {
      await session.s3.send(new CreateBucketCommand({ Bucket: name }));
      form.reset();
    }, `Bucket ${name} created.`);
  }

  const remove = (name: string) => act(() => session.s3.send(new DeleteBucketCommand({ Bucket: name })), `Bucket ${name} deleted.`);

  const list = buckets.value?.Buckets ?? [];
  return (
    <>
      <h1>Buckets</h1>
      <form class="inline-form" onSubmit={create}>
        <label for="new-bucket">
          New bucket name
          <input id="new-bucket" name="bucket" required minLength={3} maxLength={63} spellcheck={false} />
        </label>
        <button type="submit">Create bucket</button>
      </form>
      <ErrorMessage error={error} />
      {message && <Status>{message}</Status>}
      <ErrorMessage error={buckets.error} />
      {buckets.loading && !buckets.value ? (
        <p aria-busy="true">Loading buckets…</p>
      ) : (
        <table id="buckets">
          <caption>{list.length === 1 ? '1 bucket' : `${list.length} buckets`}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.map((b) => (
              <tr key={b.Name} data-bucket={b.Name}>
                <td>
                  <a href={href({ page: 'bucket', bucket: b.Name ?? '', prefix: '' })}>{b.Name}</a>
                </td>
                <td>{formatDate(b.CreationDate)}</td>
                <td>
                  <ConfirmButton label="Delete" name={`Delete bucket ${b.Name}`} confirmLabel={`Delete bucket ${b.Name}`} onConfirm={() => void remove(b.Name ?? '')} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
