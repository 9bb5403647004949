import { parseCannedObjectAcl } from '../../bucket-stream/object-acl.js';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import busboy from 'busboy';
import { assertValidTagSet } from '../../bucket-stream/object-tags.js';
import type { Principal } from '../../event-log/principal.js';
import { S3Error } from '../../errors/s3.error.js';
import { PutObjectCommand } from '../../objects/commands/put-object/put-object.command.js';
import { MAX_PUT_SIZE } from '../../objects/commands/put-object/put-object.handler.js';
import { assertFormMeetsPolicy, lengthRangeOf, parsePostPolicy } from '../http/post-policy.js';
import { rawBodyStream } from '../http/request-body.js';
import { assertSendable, contentHeadersFrom } from '../http/content-headers.js';
import { assertKeyLength, assertStorableKey } from '../routing/object-key.js';
import { S3_XML_NAMESPACE } from '../xml/s3-xml.renderers.js';
import { parseTagging } from '../xml/tagging.xml.js';
import { element, renderXml, textElement } from '../xml/xml.writer.js';
import { DEFAULT_CONTENT_TYPE, userMetadataFrom } from './put-object.operation.js';
import { bucketOf, sendEmpty, sendXml, type S3OperationContext } from './s3-operation.context.js';
import { defineS3Operation } from './s3-operation.definition.js';
import { setWrittenVersionHeader } from '../http/written-version-header.js';
import { assertNoServerSideEncryption } from '../http/server-side-encryption.js';

/** S3 refuses more than this in the fields before the file. */
const MAX_FIELD_BYTES = 20 * 1024;

/**
 * PostObject (POST /bucket, multipart/form-data): a browser uploads a file with an HTML form. The
 * fields come first; the `file` part is streamed into the blob store as PutObject's body is,
 * never held whole. The form carries its own credentials and a signed policy its fields must
 * meet (post-policy.ts); without them the upload is anonymous, allowed only by a bucket policy or
 * ACL. Answers 204 (or `success_action_status` 200 / 201 with a PostResponse), or a 303 to
 * `success_action_redirect`.
 */
export const postObject = defineS3Operation({
  action: 'in the form',
  readOnly: false,
}, async (ctx) => {
  const bucket = bucketOf(ctx);
  const body = rawBodyStream(ctx.req);
  let form: busboy.Busboy;
  try {
    // Any part may come with a filename (some form libraries send every field so): only the part
    // named `file` is the upload, as S3 goes by the name, so busboy's file count is not the limit.
    form = busboy({ headers: ctx.req.headers, limits: { fieldSize: MAX_FIELD_BYTES, fields: 100, files: 101, parts: 101 } });
  } catch {
    throw new S3Error('MalformedPOSTRequest');
  }
  const fields = new Map<string, string>();
  const stored = await new Promise<Stored>((resolve, reject) => {
    let settled = false;
    const settle = (run: () => Promise<Stored>) => {
      if (settled) return;
      settled = true;
      run().then(resolve, reject);
    };
    body.once('error', (error) => settle(() => Promise.reject(error)));
    form.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) settle(() => Promise.reject(new S3Error('MaxPostPreDataLengthExceededError')));
      const lower = name.toLowerCase();
      if (!fields.has(lower)) fields.set(lower, value);
    });
    /** Fields that came as parts with a filename, read before the upload is looked at. */
    const fieldParts: Promise<void>[] = [];
    form.on('file', (name, file, info) => {
      const lower = name.toLowerCase();
      if (settled) {
        file.resume();
        return;
      }
      if (lower !== 'file') {
        fieldParts.push(
          fieldPartValue(file).then(
            (value) => void (fields.has(lower) || fields.set(lower, value)),
            (error: unknown) => settle(() => Promise.reject(error)),
          ),
        );
        return;
      }
      settle(async () => {
        await Promise.all(fieldParts);
        return store(ctx, bucket, fields, file, info.filename);
      });
    });
    form.on('error', () => settle(() => Promise.reject(new S3Error('MalformedPOSTRequest'))));
    form.on('close', () =>
      settle(() =>
        Promise.reject(
          new S3Error('InvalidArgument', {
            message: "POST requires exactly one file upload per request.",
            details: { ArgumentName: 'file', ArgumentValue: '0' },
          }),
        ),
      ),
    );
    body.pipe(form);
  });
  respond(ctx, bucket, fields, stored);
});

/** A field sent as a part with a filename: its content, bounded as a field's value is. */
function fieldPartValue(part: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    part.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FIELD_BYTES) {
        part.removeAllListeners('data');
        part.resume();
        reject(new S3Error('MaxPostPreDataLengthExceededError'));
      } else chunks.push(chunk);
    });
    part.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    part.once('error', reject);
  });
}

interface Stored {
  key: string;
  etag: string;
  versionId?: string;
}

async function store(ctx: S3OperationContext, bucket: string, fields: Map<string, string>, file: Readable, filename: string | undefined): Promise<Stored> {
  try {
    const named = fields.get('key');
    if (named === undefined) {
      throw new S3Error('InvalidArgument', {
        message: "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
        details: { ArgumentName: 'key', ArgumentValue: '' },
      });
    }
    const key = named.replaceAll('${filename}', filename ?? '');
    if (key === '') {
      throw new S3Error('InvalidArgument', { message: 'User key must have a length greater than 0.', details: { ArgumentName: 'key', ArgumentValue: '' } });
    }
    assertKeyLength(key);
    assertStorableKey(key);
    // The form's x-amz-server-side-encryption* fields: refused as the headers are.
    assertNoServerSideEncryption(fields.keys());
    const signer: Principal = ctx.req.sediment.formSigner!(fields);
    const policyField = fields.get('policy');
    const policy = policyField === undefined ? undefined : parsePostPolicy(policyField);
    if (policy) assertFormMeetsPolicy(policy, new Map([...fields, ['bucket', bucket], ['key', key]]), new Date());
    const tagging = fields.get('tagging');
    const tags = tagging === undefined ? undefined : parseTagging(tagging);
    if (tags) assertValidTagSet(tags);
    // The form's `acl` field: a canned ACL, as x-amz-acl on PutObject.
    const canned = parseCannedObjectAcl(fields.get('acl'));
    const authorizeAs = ctx.req.sediment.authorizeAs!;
    if (!(await authorizeAs(signer, 's3:PutObject', bucket, key))) throw new S3Error('AccessDenied');
    if (tags && !(await authorizeAs(signer, 's3:PutObjectTagging', bucket, key))) throw new S3Error('AccessDenied');
    if (canned && !(await authorizeAs(signer, 's3:PutObjectAcl', bucket, key))) throw new S3Error('AccessDenied');
    // Header values are kept as the bytes sent (one character per byte); a form's are UTF-8 text.
    const asBytes = (value: string) => Buffer.from(value, 'utf8').toString('latin1');
    const metadata = userMetadataFrom(Object.fromEntries([...fields].filter(([name]) => name.startsWith('x-amz-meta-')).map(([name, value]) => [name, asBytes(value)])));
    const contentType = asBytes(fields.get('content-type') || DEFAULT_CONTENT_TYPE);
    // GET and HEAD send it back as a header: a form field, unlike a header, may hold what none can carry.
    assertSendable('Content-Type', contentType);
    // Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires: as PutObject's headers.
    const contentHeaders = contentHeadersFrom(Object.fromEntries([...fields].map(([name, value]) => [name, asBytes(value)])), { framed: false });
    const range = policy ? lengthRangeOf(policy) : undefined;
    const payload = file.pipe(new LengthRange(range?.min ?? 0, Math.min(range?.max ?? MAX_PUT_SIZE, MAX_PUT_SIZE)));
    file.once('error', (error) => payload.destroy(error));
    // A refusal can come before the blob writer listens; it reaches the writer through the stream.
    payload.on('error', () => undefined);
    const result = await ctx.commands.execute(new PutObjectCommand(bucket, key, payload, undefined, contentType, metadata, signer, undefined, tags, undefined, undefined, false, canned && { canned }, contentHeaders));
    return { key, etag: result.etag, ...(result.versionId !== undefined ? { versionId: result.versionId } : {}) };
  } catch (error) {
    file.resume();
    throw error;
  }
}

/** The file part held to the policy's content-length-range, counted as it passes. */
class LengthRange extends Transform {
  private bytes = 0;

  constructor(
    private readonly min: number,
    private readonly max: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.max) done(new S3Error('EntityTooLarge', { details: { ProposedSize: String(this.bytes), MaxSizeAllowed: String(this.max) } }));
    else done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.bytes < this.min) done(new S3Error('EntityTooSmall', { details: { ProposedSize: String(this.bytes), MinSizeAllowed: String(this.min) } }));
    else done();
  }
}

function respond(ctx: S3OperationContext, bucket: string, fields: ReadonlyMap<string, string>, stored: Stored): void {
  ctx.res.setHeader('ETag', stored.etag);
  setWrittenVersionHeader(ctx.res, stored.versionId);
  const location = `${ctx.req.protocol}://${ctx.req.headers.host ?? 'localhost'}/${bucket}/${encodeURIComponent(stored.key).replaceAll('%2F', '/')}`;
  ctx.res.setHeader('Location', location);
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  if (redirect !== undefined && /^https?:\/\//i.test(redirect)) {
    const target = new URL(redirect);
    target.searchParams.set('bucket', bucket);
    target.searchParams.set('key', stored.key);
    target.searchParams.set('etag', stored.etag);
    ctx.res.setHeader('Location', target.toString());
    return sendEmpty(ctx.res, 303);
  }
  const status = fields.get('success_action_status');
  if (status === '201') {
    const xml = renderXml(
      element('PostResponse', [textElement('Location', location), textElement('Bucket', bucket), textElement('Key', stored.key), textElement('ETag', stored.etag)], {
        xmlns: S3_XML_NAMESPACE,
      }),
    );
    return sendXml(ctx.res, 201, xml);
  }
  sendEmpty(ctx.res, status === '200' ? 200 : 204);
}
