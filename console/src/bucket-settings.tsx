import {
  DeleteBucketCorsCommand,
  DeleteBucketPolicyCommand,
  GetBucketCorsCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketPolicyCommand,
  PutBucketCorsCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketPolicyCommand,
  type CORSConfiguration,
  type NotificationConfiguration,
} from '@aws-sdk/client-s3';
import { useState } from 'preact/hooks';
import { Breadcrumbs, Versioning } from './bucket';
import { ConfirmButton, ErrorMessage, Status, useAction, useLoad } from './common';
import { errorCode, type Session } from './s3';

/** A bucket's settings, each edited as the JSON `aws s3api` takes, checked by the API itself. */
export function BucketSettingsPage({ session, bucket }: { session: Session; bucket: string }) {
  const s3 = session.s3;
  return (
    <>
      <Breadcrumbs bucket={bucket} prefix="" last="Settings" />
      <h1>{bucket}: settings</h1>
      <Versioning session={session} bucket={bucket} />
      <JsonSetting
        id="cors"
        title="CORS"
        noun="CORS"
        hint='{"CORSRules": [{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET"]}]}'
        load={async () =>
          absentAs(
            ['NoSuchCORSConfiguration'],
            s3.send(new GetBucketCorsCommand({ Bucket: bucket })).then((r) => ({ CORSRules: r.CORSRules })),
          )
        }
        save={(value) => s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: value as CORSConfiguration }))}
        remove={() => s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }))}
      />
      <JsonSetting
        id="policy"
        title="Bucket policy"
        noun="bucket policy"
        hint='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}'
        load={async () =>
          absentAs(
            ['NoSuchBucketPolicy'],
            s3.send(new GetBucketPolicyCommand({ Bucket: bucket })).then((r) => JSON.parse(r.Policy ?? '{}') as unknown),
          )
        }
        save={(value) => s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(value) }))}
        remove={() => s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }))}
      />
      <JsonSetting
        id="notifications"
        title="Notifications"
        noun="notifications"
        hint='{"TopicConfigurations": [{"TopicArn": "arn:aws:sns:us-east-1:000000000000:my-topic", "Events": ["s3:ObjectCreated:*"]}]}'
        load={async () => {
          const { $metadata: _metadata, ...configuration } = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
          return configuration;
        }}
        save={(value) => s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: value as NotificationConfiguration }))}
      />
    </>
  );
}

/** A setting that is not there reads as null, not as an error. */
async function absentAs(codes: string[], read: Promise<unknown>): Promise<unknown> {
  try {
    return await read;
  } catch (e) {
    if (codes.includes(errorCode(e) ?? '')) return null;
    throw e;
  }
}

function JsonSetting(props: { id: string; title: string; noun: string; hint: string; load: () => Promise<unknown>; save: (value: unknown) => Promise<unknown>; remove?: () => Promise<unknown> }) {
  const { id, title, noun, hint, load, save, remove } = props;
  const current = useLoad(load, []);
  const [text, setText] = useState<string | null>(null);
  const { error, message, act: run } = useAction(() => {
    setText(null);
    current.reload();
  });
  const shown = text ?? (current.value === undefined ? '' : current.value === null ? '' : JSON.stringify(current.value, null, 2));
  let problem: string | null = null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(shown);
  } catch (e) {
    problem = shown.trim() === '' ? 'Empty.' : `Not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
  }

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      <ErrorMessage error={current.error} />
      {current.value === null && <p id={`${id}-none`}>None set.</p>}
      <form
        class="policy-editor"
        data-setting={id}
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem) void run(() => save(parsed), `${title} saved.`);
        }}
      >
        <label for={`${id}-json`}>
          {title} (JSON, as <code>aws s3api</code> takes it)
          <textarea
            id={`${id}-json`}
            rows={Math.min(16, shown.split('\n').length + 2)}
            spellcheck={false}
            placeholder={hint}
            value={shown}
            aria-invalid={problem && shown !== '' ? 'true' : undefined}
            aria-describedby={problem && shown !== '' ? `${id}-problem` : undefined}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </label>
        {problem && shown !== '' && (
          <small id={`${id}-problem`} class="error" role="alert">
            {problem}
          </small>
        )}
        <ErrorMessage error={error} />
        {message && <Status>{message}</Status>}
        <button type="submit" disabled={problem !== null}>
          Save {noun}
        </button>{' '}
        {remove && current.value !== null && current.value !== undefined && (
          <ConfirmButton label={`Delete ${noun}`} name={`Delete ${noun}`} confirmLabel={`Delete ${noun}`} onConfirm={() => void run(remove, `${title} deleted.`)} />
        )}
      </form>
    </section>
  );
}
