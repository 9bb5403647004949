import {
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { useState } from 'preact/hooks';
import { ConfirmButton, ErrorMessage, Status, useLoad } from './common';
import { href } from './router';
import { formatBytes, formatDate, throughConsole, type Session } from './s3';
import { AsOf } from './as-of';
import { History } from './history';
import { Uploader } from './uploads';

const PAGE_SIZES = [10, 100, 1000];
/** Download links are made as a page is shown and live long enough to be clicked. */
const DOWNLOAD_LINK_SECONDS = 15 * 60;

export function BucketPage({ session, bucket, prefix }: { session: Session; bucket: string; prefix: string }) {
  // Continuation tokens of the pages before this one: Previous pops, Next pushes.
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [pageSize, setPageSize] = useState(100);
  const [pageKey, setPageKey] = useState(`${bucket}/${prefix}/${pageSize}`);
  if (pageKey !== `${bucket}/${prefix}/${pageSize}`) {
    setPageKey(`${bucket}/${prefix}/${pageSize}`);
    setTokens([undefined]);
  }
  const token = tokens[tokens.length - 1];
  const listing = useLoad(async () => {
    const page = await session.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, Delimiter: '/', MaxKeys: pageSize, ContinuationToken: token }),
    );
    const links = new Map<string, string>();
    for (const o of page.Contents ?? []) links.set(o.Key ?? '', await downloadLink(session, bucket, o.Key ?? ''));
    return { page, links };
  }, [session, bucket, prefix, pageSize, token]);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState('');
  const [asOfRequest, setAsOfRequest] = useState<{ value: string } | null>(null);

  async function remove(key: string) {
    setError(null);
    setMessage('');
    try {
      await session.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      setMessage(`Deleted ${key}.`);
      listing.reload();
    } catch (e) {
      setError(e);
    }
  }

  const page = listing.value?.page;
  return (
    <>
      <Breadcrumbs bucket={bucket} prefix={prefix} />
      <h1>
        {bucket}
        {prefix && <small> / {prefix}</small>}
      </h1>
      <p>
        <a href={href({ page: 'bucket-settings', bucket })}>Bucket settings</a> (versioning, CORS, policy, notifications)
      </p>
      <Versioning session={session} bucket={bucket} />
      <Uploader session={session} bucket={bucket} prefix={prefix} onUploaded={listing.reload} />
      <section aria-labelledby="objects-heading">
        <h2 id="objects-heading">Objects</h2>
        <ErrorMessage error={error} />
        {message && <Status>{message}</Status>}
        <ErrorMessage error={listing.error} />
        {listing.loading && !page ? (
          <p aria-busy="true">Loading objects…</p>
        ) : (
          <table id="objects">
            <caption>
              {(page?.KeyCount ?? 0) === 0 ? 'Nothing here yet' : `Page ${tokens.length}: ${page?.KeyCount} entries`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Size</th>
                <th scope="col">Last modified</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {(page?.CommonPrefixes ?? []).map((p) => (
                <tr key={p.Prefix} data-prefix={p.Prefix}>
                  <td>
                    <a href={href({ page: 'bucket', bucket, prefix: p.Prefix ?? '' })}>📁 {(p.Prefix ?? '').slice(prefix.length)}</a>
                  </td>
                  <td>folder</td>
                  <td />
                  <td />
                </tr>
              ))}
              {(page?.Contents ?? []).map((o) => {
                const key = o.Key ?? '';
                return (
                  <tr key={key} data-key={key}>
                    <td>
                      <a href={href({ page: 'object', bucket, key })}>{key.slice(prefix.length) || key}</a>
                    </td>
                    <td>{formatBytes(o.Size)}</td>
                    <td>{formatDate(o.LastModified)}</td>
                    <td class="actions">
                      <a href={listing.value?.links.get(key)} download={baseName(key)} aria-label={`Download ${key}`} role="button" class="outline">
                        Download
                      </a>{' '}
                      <ConfirmButton label="Delete" name={`Delete ${key}`} confirmLabel={`Delete ${key}`} onConfirm={() => void remove(key)} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <nav aria-label="Pages" class="pager">
          <label for="page-size">
            Entries per page{' '}
            <select id="page-size" value={pageSize} onChange={(e) => setPageSize(Number(e.currentTarget.value))}>
              {PAGE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="outline" disabled={tokens.length < 2} onClick={() => setTokens((t) => t.slice(0, -1))}>
            Previous page
          </button>{' '}
          <button
            type="button"
            class="outline"
            disabled={!page?.IsTruncated}
            onClick={() => page?.NextContinuationToken && setTokens((t) => [...t, page.NextContinuationToken])}
          >
            Next page
          </button>
        </nav>
      </section>
      <History session={session} bucket={bucket} onAsOf={(offset) => setAsOfRequest({ value: String(offset) })} />
      <AsOf session={session} bucket={bucket} requested={asOfRequest} />
    </>
  );
}

export function Breadcrumbs({ bucket, prefix, last }: { bucket: string; prefix: string; last?: string }) {
  const parts = prefix.split('/').filter((p, i, all) => p !== '' || i < all.length - 1);
  let so_far = '';
  return (
    <nav aria-label="Breadcrumb" class="breadcrumbs">
      <ul>
        <li>
          <a href={href({ page: 'buckets' })}>Buckets</a>
        </li>
        <li>
          <a href={href({ page: 'bucket', bucket, prefix: '' })}>{bucket}</a>
        </li>
        {parts.map((part) => {
          so_far += `${part}/`;
          return (
            <li key={so_far}>
              <a href={href({ page: 'bucket', bucket, prefix: so_far })}>{part}</a>
            </li>
          );
        })}
        {last && <li aria-current="page">{last}</li>}
      </ul>
    </nav>
  );
}

export function Versioning({ session, bucket }: { session: Session; bucket: string }) {
  const state = useLoad(() => session.s3.send(new GetBucketVersioningCommand({ Bucket: bucket })), [session, bucket]);
  const [error, setError] = useState<unknown>(null);
  const status = state.value?.Status ?? 'Off';
  async function set(Status: 'Enabled' | 'Suspended') {
    setError(null);
    try {
      await session.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status } }));
      state.reload();
    } catch (e) {
      setError(e);
    }
  }
  return (
    <section aria-labelledby="versioning-heading" class="versioning">
      <h2 id="versioning-heading">Versioning</h2>
      <p>
        Versioning is <strong id="versioning-status">{state.value ? status : '…'}</strong>.{' '}
        {state.value && status !== 'Enabled' && (
          <button type="button" class="outline" onClick={() => void set('Enabled')}>
            Enable versioning
          </button>
        )}
        {state.value && status === 'Enabled' && (
          <button type="button" class="outline" onClick={() => void set('Suspended')}>
            Suspend versioning
          </button>
        )}
      </p>
      <ErrorMessage error={state.error ?? error} />
    </section>
  );
}

export function baseName(key: string): string {
  return key.split('/').filter(Boolean).pop() ?? key;
}

/** A short-lived presigned GET through the console, that saves the file under its own name. */
export async function downloadLink(session: Session, bucket: string, key: string, versionId?: string): Promise<string> {
  const disposition = `attachment; filename*=UTF-8''${encodeURIComponent(baseName(key))}`;
  const command = new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId, ResponseContentDisposition: disposition });
  return throughConsole(await getSignedUrl(session.s3, command, { expiresIn: DOWNLOAD_LINK_SECONDS }));
}
