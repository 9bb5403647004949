import type { S3OperationHandler } from './s3-operation.context.js';

/** An IAM action of the S3 service ("Actions, resources, and condition keys for Amazon S3"). */
export type S3Action = `s3:${string}`;

/**
 * A sub-resource query parameter that names the operation (`GET /bucket?location`), on the
 * bucket or on an object and for one method. The core operations (ListBuckets, the bucket and
 * object verbs, ListObjects, DeleteObjects, multipart) are routed by the shape of the request
 * alone, in `routing/s3.router.ts`; every operation S3 added later is a sub-resource like this.
 */
export interface SubresourceRoute {
  readonly name: string;
  readonly on: 'bucket' | 'object';
  readonly method: 'GET' | 'PUT' | 'DELETE';
}

/**
 * How the IAM guard authorises an operation before it runs:
 * - an action, checked on the bucket or key the request names;
 * - `'per key'`: the operation asks for each key it names in its body (DeleteObjects);
 * - `'in the form'`: the credentials are fields of the body, checked by the operation (POST Object);
 * - `'unauthenticated'`: answered without credentials (the CORS preflight).
 */
export type S3Authorization = S3Action | 'per key' | 'in the form' | 'unauthenticated';

/** What an operation declares beside its handler; see `defineS3Operation`. */
export interface S3OperationDeclaration {
  readonly action: S3Authorization;
  /**
   * The action a request naming a `versionId` needs (s3:GetObjectVersion for GetObject). Only an
   * operation that has one accepts `versionId`; on any other the router answers NotImplemented,
   * rather than silently acting on the current version.
   */
  readonly versionAction?: S3Action;
  /** It stores the `x-amz-tagging` header's tags: with that header it also needs s3:PutObjectTagging. */
  readonly storesTaggingHeader?: true;
  /**
   * It stores the x-amz-object-lock-* headers: with a mode or date it also needs
   * s3:PutObjectRetention, with a legal hold s3:PutObjectLegalHold.
   */
  readonly storesLockHeaders?: true;
  /** It stores the x-amz-acl / x-amz-grant-* headers' ACL: with one of them it also needs s3:PutObjectAcl. */
  readonly storesAclHeaders?: true;
  /** Whether a read-only snapshot (SEDIMENT_READ_ONLY) serves it; everything else is refused there. */
  readonly readOnly: boolean;
  /** Its sub-resource route; absent for the core operations the router knows by shape. */
  readonly subresource?: SubresourceRoute;
}

/** One row of the operation table (`./index.ts`): the declaration and the handler together. */
export interface S3OperationDefinition extends S3OperationDeclaration {
  readonly handle: S3OperationHandler;
}

/**
 * Declares an operation in its own file: its route, IAM action and read-only flag sit above
 * the code that answers it, and the router, the guard and the controller read them from the
 * table instead of keeping lists of their own.
 */
export function defineS3Operation(declaration: S3OperationDeclaration, handle: S3OperationHandler): S3OperationDefinition {
  return { ...declaration, handle };
}
