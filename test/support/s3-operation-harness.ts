import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { FilesystemBlobStore } from '../../src/blobs/filesystem-blob.store.js';
import { ConfigureBucketCorsCommand } from '../../src/buckets/commands/configure-bucket-cors/configure-bucket-cors.command.js';
import { ConfigureBucketCorsHandler } from '../../src/buckets/commands/configure-bucket-cors/configure-bucket-cors.handler.js';
import { ConfigureBucketLifecycleCommand } from '../../src/buckets/commands/configure-bucket-lifecycle/configure-bucket-lifecycle.command.js';
import { ConfigureBucketLifecycleHandler } from '../../src/buckets/commands/configure-bucket-lifecycle/configure-bucket-lifecycle.handler.js';
import { ConfigureBucketVersioningCommand } from '../../src/buckets/commands/configure-bucket-versioning/configure-bucket-versioning.command.js';
import { ConfigureBucketVersioningHandler } from '../../src/buckets/commands/configure-bucket-versioning/configure-bucket-versioning.handler.js';
import { CreateBucketCommand } from '../../src/buckets/commands/create-bucket/create-bucket.command.js';
import { CreateBucketHandler } from '../../src/buckets/commands/create-bucket/create-bucket.handler.js';
import { DeleteBucketCommand } from '../../src/buckets/commands/delete-bucket/delete-bucket.command.js';
import { DeleteBucketHandler } from '../../src/buckets/commands/delete-bucket/delete-bucket.handler.js';
import { GetBucketHandler } from '../../src/buckets/queries/get-bucket/get-bucket.handler.js';
import { GetBucketQuery } from '../../src/buckets/queries/get-bucket/get-bucket.query.js';
import { ListBucketsHandler } from '../../src/buckets/queries/list-buckets/list-buckets.handler.js';
import { ListBucketsQuery } from '../../src/buckets/queries/list-buckets/list-buckets.query.js';
import { loadConfig } from '../../src/config/sediment.config.js';
import { DeleteObjectCommand } from '../../src/objects/commands/delete-object/delete-object.command.js';
import { DeleteObjectHandler } from '../../src/objects/commands/delete-object/delete-object.handler.js';
import { DeleteObjectTaggingCommand, PutObjectTaggingCommand } from '../../src/objects/commands/object-tagging/object-tagging.commands.js';
import { DeleteObjectTaggingHandler, PutObjectTaggingHandler } from '../../src/objects/commands/object-tagging/object-tagging.handlers.js';
import { ConfigureObjectLockCommand } from '../../src/buckets/commands/configure-object-lock/configure-object-lock.command.js';
import { ConfigureObjectLockHandler } from '../../src/buckets/commands/configure-object-lock/configure-object-lock.handler.js';
import { PutObjectLegalHoldCommand, PutObjectRetentionCommand } from '../../src/objects/commands/object-lock/object-lock.commands.js';
import { PutObjectLegalHoldHandler, PutObjectRetentionHandler } from '../../src/objects/commands/object-lock/object-lock.handlers.js';
import { DeleteObjectsCommand } from '../../src/objects/commands/delete-objects/delete-objects.command.js';
import { DeleteObjectsHandler } from '../../src/objects/commands/delete-objects/delete-objects.handler.js';
import { PutObjectCommand } from '../../src/objects/commands/put-object/put-object.command.js';
import { PutObjectHandler } from '../../src/objects/commands/put-object/put-object.handler.js';
import { GetObjectHandler } from '../../src/objects/queries/get-object/get-object.handler.js';
import { GetObjectQuery } from '../../src/objects/queries/get-object/get-object.query.js';
import { ListObjectVersionsHandler } from '../../src/objects/queries/list-object-versions/list-object-versions.handler.js';
import { ListObjectVersionsQuery } from '../../src/objects/queries/list-object-versions/list-object-versions.query.js';
import { ListObjectsV2Handler } from '../../src/objects/queries/list-objects-v2/list-objects-v2.handler.js';
import { ListObjectsV2Query } from '../../src/objects/queries/list-objects-v2/list-objects-v2.query.js';
import type { S3OperationDefinition } from '../../src/s3/operations/s3-operation.definition.js';
import type { S3HttpRequest } from '../../src/s3/http/s3-request.js';
import { ALICE, inMemoryBucketStream } from './in-memory-bucket-stream.js';

interface Handler {
  execute(message: never): Promise<unknown>;
}

/** A bus that hands each message to the handler registered for its class, as Nest's CQRS bus does. */
function busOf(handlers: ReadonlyArray<readonly [abstract new (...args: never[]) => object, Handler]>) {
  const byClass = new Map<unknown, Handler>(handlers);
  return {
    execute: async (message: object) => {
      const handler = byClass.get(message.constructor);
      if (!handler) throw new Error(`no handler registered for ${message.constructor.name}`);
      return handler.execute(message as never);
    },
  };
}

/** What an operation wrote: status, headers (lower-cased names) and body. */
export interface CapturedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

class CapturingResponse extends Writable {
  statusCode = 200;
  readonly headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  setHeader(name: string, value: string | number): this {
    this.headers[name.toLowerCase()] = String(value);
    return this;
  }

  getHeader(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    done();
  }

  captured(): CapturedResponse {
    return { status: this.statusCode, headers: this.headers, body: Buffer.concat(this.chunks).toString('utf8') };
  }
}

export interface OperationRequest {
  bucket?: string;
  key?: string;
  /** The query string, without '?'. */
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  method?: string;
  /** Actions the guard's access check refuses to the operation (s3:BypassGovernanceRetention, …). */
  denied?: string[];
}

/**
 * Runs S3 operation definitions as the controller does, after the guard: the real command and
 * query handlers over the in-memory bucket stream, blobs in a temporary directory, and a response
 * that records what the operation wrote. Every access check is allowed.
 */
export async function s3OperationHarness() {
  const stream = await inMemoryBucketStream();
  const blobDir = await mkdtemp(join(tmpdir(), 'sediment-operations-'));
  const blobs = new FilesystemBlobStore(blobDir);
  await blobs.init();
  const { writer, store } = stream;
  const commands = busOf([
    [CreateBucketCommand, new CreateBucketHandler(writer)],
    [DeleteBucketCommand, new DeleteBucketHandler(writer)],
    [ConfigureBucketVersioningCommand, new ConfigureBucketVersioningHandler(writer)],
    [ConfigureBucketCorsCommand, new ConfigureBucketCorsHandler(writer)],
    [ConfigureBucketLifecycleCommand, new ConfigureBucketLifecycleHandler(writer)],
    [PutObjectCommand, new PutObjectHandler(writer, blobs, store)],
    [DeleteObjectCommand, new DeleteObjectHandler(writer)],
    [PutObjectTaggingCommand, new PutObjectTaggingHandler(writer)],
    [DeleteObjectTaggingCommand, new DeleteObjectTaggingHandler(writer)],
    [DeleteObjectsCommand, new DeleteObjectsHandler(writer)],
    [ConfigureObjectLockCommand, new ConfigureObjectLockHandler(writer)],
    [PutObjectRetentionCommand, new PutObjectRetentionHandler(writer)],
    [PutObjectLegalHoldCommand, new PutObjectLegalHoldHandler(writer)],
  ]);
  const queries = busOf([
    [GetBucketQuery, new GetBucketHandler(store)],
    [ListBucketsQuery, new ListBucketsHandler(store)],
    [GetObjectQuery, new GetObjectHandler(store)],
    [ListObjectsV2Query, new ListObjectsV2Handler(store)],
    [ListObjectVersionsQuery, new ListObjectVersionsHandler(store)],
  ]);
  const config = loadConfig({
    SEDIMENT_REGION: 'eu-west-3',
    SEDIMENT_ROOT_ACCESS_KEY_ID: 'AKIAHARNESS000000001',
    SEDIMENT_ROOT_SECRET_ACCESS_KEY: 'harness-secret-harness-secret',
    SEDIMENT_MASTER_KEY: '0'.repeat(64),
  });

  /** Runs `operation` on `request`; the response it wrote, or the S3Error it threw. */
  async function call(operation: S3OperationDefinition, request: OperationRequest = {}): Promise<CapturedResponse> {
    const body = request.body ?? '';
    const headers: Record<string, string> = { 'content-length': String(Buffer.byteLength(body)), ...lowerCased(request.headers ?? {}) };
    const req = Object.assign(Readable.from(body === '' ? [] : [Buffer.from(body)]), {
      // As on an IncomingMessage: true once the whole body has arrived.
      complete: false,
      method: request.method ?? 'GET',
      headers,
      headersDistinct: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      originalUrl: `/${request.bucket ?? ''}${request.key !== undefined ? `/${request.key}` : ''}${request.query ? `?${request.query}` : ''}`,
      sediment: { requestId: 'req-1', authorize: (action: string) => Promise.resolve(!(request.denied ?? []).includes(action)) },
    });
    req.once('end', () => {
      req.complete = true;
    });
    const res = new CapturingResponse();
    await operation.handle({
      req: req as unknown as S3HttpRequest,
      res: res as unknown as Response,
      route: { ...(request.bucket !== undefined ? { bucket: request.bucket } : {}), ...(request.key !== undefined ? { key: request.key } : {}) },
      query: new URLSearchParams(request.query ?? ''),
      principal: ALICE,
      commands: commands as unknown as CommandBus,
      queries: queries as unknown as QueryBus,
      blobs,
      config,
      accounts: (canonicalId) => (canonicalId === ALICE.canonicalId ? { accountId: ALICE.accountId, name: ALICE.displayName } : undefined),
    });
    return res.captured();
  }

  const close = () => rm(blobDir, { recursive: true, force: true });
  return { ...stream, call, close };
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
