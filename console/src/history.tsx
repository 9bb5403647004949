import { GetObjectCommand } from '@aws-sdk/client-s3';
import { useState } from 'preact/hooks';
import { ErrorMessage } from './common';
import { formatBytes, type Session } from './s3';

export interface HistoryEvent {
  partition: number;
  offset: number;
  eventId: string;
  type: string;
  time: string;
  accessKeyId: string;
  arn: string;
  key?: string;
  versionId?: string;
  size?: number;
  etag?: string;
  tags?: { key: string; value: string }[];
}

interface HistoryPage {
  partition: number;
  events: HistoryEvent[];
  nextBeforeOffset?: number;
}

/**
 * One of Sediment's own read operations on a bucket or key (ADR 0029: `?sediment-history`,
 * `?sediment-as-of`), sent as a GetObject whose query (and, for the bucket, path) is replaced
 * before signing: the SDK signs and sends it like any other request, and its body is the XML.
 */
export async function sedimentGet(session: Session, bucket: string, key: string | undefined, query: Record<string, string>): Promise<Element> {
  const command = new GetObjectCommand({ Bucket: bucket, Key: key ?? '-' });
  command.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { path: string; query: Record<string, string | null> };
      request.query = query;
      // Path-style, so the path is /<bucket>/<key>; the bucket's own is /<bucket>.
      if (key === undefined) request.path = `/${encodeURIComponent(bucket)}`;
      return next(args);
    },
    { step: 'build', name: 'sedimentOperation' },
  );
  const response = await session.s3.send(command);
  return new DOMParser().parseFromString(await response.Body!.transformToString(), 'application/xml').documentElement;
}

export const textOf = (parent: Element, name: string) => parent.getElementsByTagName(name)[0]?.textContent ?? undefined;

async function fetchHistory(session: Session, bucket: string, key: string | undefined, before?: number): Promise<HistoryPage> {
  const root = await sedimentGet(session, bucket, key, { 'sediment-history': '', ...(before !== undefined ? { 'before-offset': String(before) } : {}) });
  const text = textOf;
  const events = Array.from(root.getElementsByTagName('Event')).map((e) => ({
    key: text(e, 'Key'),
    partition: Number(text(e, 'Partition')),
    offset: Number(text(e, 'Offset')),
    eventId: text(e, 'EventId') ?? '',
    type: text(e, 'Type') ?? '',
    time: text(e, 'Time') ?? '',
    accessKeyId: text(e, 'AccessKeyId') ?? '',
    arn: text(e, 'Arn') ?? '',
    versionId: text(e, 'VersionId'),
    size: text(e, 'Size') === undefined ? undefined : Number(text(e, 'Size')),
    etag: text(e, 'ETag'),
    tags: e.getElementsByTagName('TagSet').length
      ? Array.from(e.getElementsByTagName('Tag')).map((t) => ({ key: text(t, 'Key') ?? '', value: text(t, 'Value') ?? '' }))
      : undefined,
  }));
  const next = text(root, 'NextBeforeOffset');
  return { partition: Number(text(root, 'Partition')), events, nextBeforeOffset: next === undefined ? undefined : Number(next) };
}

/**
 * The key's events (or, without a key, the whole bucket's) from the log, newest first, each with
 * the partition and offset that hold it.
 */
export function History(props: { session: Session; bucket: string; objectKey?: string; onAsOf?: (offset: number) => void }) {
  const { session, bucket, objectKey, onAsOf } = props;
  const [events, setEvents] = useState<HistoryEvent[] | null>(null);
  const [next, setNext] = useState<number | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function load(before?: number) {
    setBusy(true);
    setError(null);
    try {
      const page = await fetchHistory(session, bucket, objectKey, before);
      setEvents((old) => [...(before === undefined ? [] : (old ?? [])), ...page.events]);
      setNext(page.nextBeforeOffset);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{objectKey === undefined ? 'Bucket history' : 'History'}</h2>
      <p>
        Every change to this {objectKey === undefined ? 'bucket and its objects' : 'key'} is an event on the log. They are read back
        from Kafka, newest first.{' '}
        <button type="button" class="outline" aria-busy={busy} disabled={busy} onClick={() => void load()}>
          {events === null ? 'Show history' : 'Refresh history'}
        </button>
      </p>
      <ErrorMessage error={error} />
      {events !== null && (
        <div class="overflow-auto" tabIndex={0} role="region" aria-label="History events">
        <table id="history">
          <caption>{events.length === 1 ? '1 event' : `${events.length} events`}</caption>
          <thead>
            <tr>
              <th scope="col">Log position</th>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              {objectKey === undefined && <th scope="col">Key</th>}
              <th scope="col">Who</th>
              <th scope="col">Details</th>
              {onAsOf && <th scope="col">View</th>}
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={`${e.partition}-${e.offset}`} data-offset={e.offset} data-type={e.type}>
                <td>
                  <code title={`event ${e.eventId}`}>
                    partition {e.partition}, offset {e.offset}
                  </code>
                </td>
                <td>{e.time.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</td>
                <td>
                  <strong>{e.type}</strong>
                </td>
                {objectKey === undefined && <td>{e.key}</td>}
                <td>
                  <code>{e.arn}</code>
                </td>
                <td>
                  {[
                    e.versionId !== undefined && `version ${e.versionId}`,
                    e.size !== undefined && formatBytes(e.size),
                    e.etag !== undefined && `ETag ${e.etag}`,
                    e.tags !== undefined && `tags ${e.tags.map((t) => `${t.key}=${t.value}`).join(', ') || '(none)'}`,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </td>
                {onAsOf && (
                  <td>
                    <button type="button" class="outline" aria-label={`As of here: the bucket as of offset ${e.offset}`} onClick={() => onAsOf(e.offset)}>
                      As of here
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {next !== undefined && (
        <button type="button" class="outline" disabled={busy} onClick={() => void load(next)}>
          Show older events (before offset {next})
        </button>
      )}
    </section>
  );
}
