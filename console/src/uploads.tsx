import { Upload } from '@aws-sdk/lib-storage';
import { useRef, useState } from 'preact/hooks';
import { describeError, formatBytes, type Session } from './s3';

/** Parts of 5 MiB (S3's smallest), four in flight: a file above 5 MiB goes up as a multipart upload. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 4;

interface Transfer {
  id: number;
  key: string;
  loaded: number;
  total: number;
  state: 'uploading' | 'done' | 'cancelled' | 'failed';
  message?: string;
  upload: Upload;
}

/** Drop files here or pick them: each goes to `<prefix><file name>`, with a progress bar and Cancel. */
export function Uploader({ session, bucket, prefix, onUploaded }: { session: Session; bucket: string; prefix: string; onUploaded: () => void }) {
  const [transfers, setTransfers] = useState<Transfer[]>([]);
  const [dragging, setDragging] = useState(false);
  const nextId = useRef(1);

  const update = (id: number, change: Partial<Transfer>) => setTransfers((all) => all.map((t) => (t.id === id ? { ...t, ...change } : t)));

  function start(files: FileList | null) {
    for (const file of Array.from(files ?? [])) {
      const id = nextId.current++;
      const key = `${prefix}${file.name}`;
      const upload = new Upload({
        client: session.s3,
        params: { Bucket: bucket, Key: key, Body: file, ContentType: file.type || undefined },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
      });
      upload.on('httpUploadProgress', (p) => update(id, { loaded: p.loaded ?? 0 }));
      setTransfers((all) => [...all, { id, key, loaded: 0, total: file.size, state: 'uploading', upload }]);
      upload.done().then(
        () => {
          update(id, { state: 'done', loaded: file.size });
          onUploaded();
        },
        (error: unknown) => {
          const cancelled = error instanceof Error && error.name === 'AbortError';
          update(id, { state: cancelled ? 'cancelled' : 'failed', message: cancelled ? undefined : describeError(error) });
        },
      );
    }
  }

  return (
    <section aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload</h2>
      <label
        for="upload-files"
        class={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          start(e.dataTransfer?.files ?? null);
        }}
      >
        Drop files here, or choose files to upload to <code>{prefix || '/'}</code>
        <input
          id="upload-files"
          type="file"
          multiple
          onChange={(e) => {
            const input = e.currentTarget;
            start(input.files);
            input.value = '';
          }}
        />
      </label>
      {transfers.length > 0 && (
        <ul class="transfers" aria-label="Uploads">
          {transfers.map((t) => {
            const percent = t.total ? Math.floor((t.loaded / t.total) * 100) : 100;
            return (
              <li key={t.id} data-upload-key={t.key} data-state={t.state}>
                <span class="transfer-name">{t.key}</span>
                <progress value={t.loaded} max={t.total || 1} aria-label={`Upload of ${t.key}`} />
                <span class="transfer-state" role={t.state === 'failed' ? 'alert' : 'status'}>
                  {t.state === 'uploading' && `${percent}% of ${formatBytes(t.total)}`}
                  {t.state === 'done' && `Uploaded ${formatBytes(t.total)}`}
                  {t.state === 'cancelled' && 'Cancelled'}
                  {t.state === 'failed' && `Failed: ${t.message}`}
                </span>
                {t.state === 'uploading' && (
                  <button type="button" class="outline" aria-label={`Cancel upload of ${t.key}`} onClick={() => void t.upload.abort()}>
                    Cancel
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
