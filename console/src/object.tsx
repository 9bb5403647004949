import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { Breadcrumbs, downloadLink } from './bucket';
import { ConfirmButton, ErrorMessage, Status, useAction, useLoad } from './common';
import { History } from './history';
import { errorCode, formatBytes, formatDate, type Session } from './s3';

const EXPIRIES: { label: string; seconds: number }[] = [
  { label: '15 minutes', seconds: 15 * 60 },
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86_400 },
  { label: '7 days (the longest S3 allows)', seconds: 7 * 86_400 },
];

interface VersionRow {
  versionId: string;
  isLatest: boolean;
  deleteMarker: boolean;
  lastModified?: Date;
  size?: number;
  link?: string;
}

export function ObjectPage({ session, bucket, objectKey: key }: { session: Session; bucket: string; objectKey: string }) {
  const details = useLoad(async () => {
    const head = await session.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch((e: unknown) => {
      // No current version (deleted, or a delete marker on top): the versions may still be there.
      if (errorCode(e) === 'NotFound' || errorCode(e) === 'NoSuchKey') return null;
      throw e;
    });
    const tags = head ? (await session.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet ?? [] : [];
    const link = head ? await downloadLink(session, bucket, key) : undefined;
    return { head, tags, link };
  }, [session, bucket, key]);
  const versions = useLoad(() => listVersions(session, bucket, key), [session, bucket, key]);
  const { error, message, act } = useAction(() => {
    details.reload();
    versions.reload();
  });

  const head = details.value?.head;
  const name = key.split('/').pop() || key;
  const parent = key.slice(0, key.length - name.length);
  return (
    <>
      <Breadcrumbs bucket={bucket} prefix={parent} last={name} />
      <h1 class="object-title">{key}</h1>
      <ErrorMessage error={error} />
      {message && <Status>{message}</Status>}
      <ErrorMessage error={details.error} />
      {details.value && !head && <p id="no-current-version">This key has no current version: it was deleted. Its versions are below.</p>}
      {head && (
        <section aria-labelledby="metadata-heading">
          <h2 id="metadata-heading">Metadata</h2>
          <dl class="metadata">
            <dt>Size</dt>
            <dd>
              {formatBytes(head.ContentLength)} ({head.ContentLength} bytes)
            </dd>
            <dt>Content type</dt>
            <dd>{head.ContentType}</dd>
            <dt>ETag</dt>
            <dd>
              <code>{head.ETag}</code>
            </dd>
            <dt>Last modified</dt>
            <dd>{formatDate(head.LastModified)}</dd>
            <dt>Version</dt>
            <dd>
              <code id="current-version">{head.VersionId ?? 'null'}</code>
            </dd>
            <dt>Storage class</dt>
            <dd>{head.StorageClass ?? 'STANDARD'}</dd>
            {Object.entries(head.Metadata ?? {}).map(([k, v]) => (
              <Fragment key={k}>
                <dt>x-amz-meta-{k}</dt>
                <dd>{v}</dd>
              </Fragment>
            ))}
          </dl>
          <h3>Tags</h3>
          {details.value?.tags.length ? (
            <table id="tags">
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {details.value.tags.map((t) => (
                  <tr key={t.Key}>
                    <td>{t.Key}</td>
                    <td>{t.Value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>No tags.</p>
          )}
          <p class="actions">
            <a id="download" href={details.value?.link} download={name} role="button">
              Download
            </a>{' '}
            <ConfirmButton
              label="Delete"
              name={`Delete ${key}`}
              confirmLabel={`Delete ${key}`}
              onConfirm={() => void act(() => session.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })), `Deleted ${key}.`)}
            />
          </p>
        </section>
      )}
      {head && <Share session={session} bucket={bucket} objectKey={key} />}
      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        <ErrorMessage error={versions.error} />
        <table id="versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Last modified</th>
              <th scope="col">Size</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {(versions.value ?? []).map((v) => (
              <tr key={v.versionId} data-version-id={v.versionId} data-latest={String(v.isLatest)}>
                <td>
                  <code>{v.versionId}</code>
                  {v.isLatest && <mark>current</mark>}
                  {v.deleteMarker && <mark>delete marker</mark>}
                </td>
                <td>{formatDate(v.lastModified)}</td>
                <td>{v.deleteMarker ? '' : formatBytes(v.size)}</td>
                <td class="actions">
                  {v.link && (
                    <a href={v.link} download={name} role="button" class="outline" aria-label={`Download version ${v.versionId}`}>
                      Download
                    </a>
                  )}{' '}
                  {!v.isLatest && !v.deleteMarker && (
                    <button
                      type="button"
                      aria-label={`Restore version ${v.versionId}`}
                      onClick={() =>
                        void act(
                          () => session.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: key, CopySource: copySource(bucket, key, v.versionId) })),
                          `Restored version ${v.versionId}: it is the current version again.`,
                        )
                      }
                    >
                      Restore
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <History session={session} bucket={bucket} objectKey={key} />
    </>
  );
}

function Share({ session, bucket, objectKey }: { session: Session; bucket: string; objectKey: string }) {
  const [link, setLink] = useState<{ url: string; expires: Date } | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function create(event: Event) {
    event.preventDefault();
    const seconds = Number(new FormData(event.currentTarget as HTMLFormElement).get('expiry'));
    setError(null);
    try {
      const url = await getSignedUrl(session.share, new GetObjectCommand({ Bucket: bucket, Key: objectKey }), { expiresIn: seconds });
      setLink({ url, expires: new Date(Date.now() + seconds * 1000) });
    } catch (e) {
      setError(e);
    }
  }
  return (
    <section aria-labelledby="share-heading">
      <h2 id="share-heading">Share</h2>
      <form class="inline-form" onSubmit={create}>
        <label for="share-expiry">
          Link expires in
          <select id="share-expiry" name="expiry">
            {EXPIRIES.map((e) => (
              <option key={e.seconds} value={e.seconds}>
                {e.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Create share link</button>
      </form>
      <ErrorMessage error={error} />
      {link && (
        <>
          <label for="share-link">
            Share link (anyone with it can download this object until {formatDate(link.expires)}; it is signed with your key)
            <input id="share-link" readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
          </label>
          <button type="button" class="outline" onClick={() => void navigator.clipboard?.writeText(link.url)}>
            Copy link
          </button>
        </>
      )}
    </section>
  );
}

/** `x-amz-copy-source`: the key URL-encoded, the version as a query. */
function copySource(bucket: string, key: string, versionId: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}?versionId=${encodeURIComponent(versionId)}`;
}

async function listVersions(session: Session, bucket: string, key: string): Promise<VersionRow[]> {
  const rows: VersionRow[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  // Versions of this key only: listed from the key itself, stopping at the first other key.
  for (;;) {
    const page = await session.s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker, MaxKeys: 1000 }),
    );
    const entries = [
      ...(page.Versions ?? []).map((v) => ({ ...v, deleteMarker: false })),
      ...(page.DeleteMarkers ?? []).map((d) => ({ ...d, Size: undefined, deleteMarker: true })),
    ];
    let otherKey = false;
    for (const e of entries) {
      if (e.Key !== key) {
        otherKey = true;
        continue;
      }
      rows.push({
        versionId: e.VersionId ?? 'null',
        isLatest: e.IsLatest ?? false,
        deleteMarker: e.deleteMarker,
        lastModified: e.LastModified,
        size: e.Size,
        link: e.deleteMarker ? undefined : await downloadLink(session, bucket, key, e.VersionId),
      });
    }
    if (!page.IsTruncated || otherKey) break;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
  // Newest first; the current one on top even when two share a millisecond.
  const order = (r: VersionRow) => (r.isLatest ? Number.MAX_SAFE_INTEGER : (r.lastModified?.getTime() ?? 0));
  return rows.sort((a, b) => order(b) - order(a));
}
