import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import { SEDIMENT_CONFIG, type SedimentConfig } from '../config/sediment.config.js';
import { MetadataStore } from '../metadata/metadata.store.port.js';
import { applyCorsHeaders } from './http/cors-response.js';
import { taggingHeaderValue } from './http/tagging-header.js';
import { anonymousPrincipal, type Principal } from '../event-log/principal.js';
import { IdentityDirectory } from '../identity-stream/identity.directory.js';
import { parseCopySource } from './http/copy-source.js';
import { aclHeadersSent } from './http/acl-request.js';
import { lockHeadersSent } from './http/object-lock-headers.js';
import { S3Error } from '../errors/s3.error.js';
import { splitUrl, type AccessCheck, type S3HttpRequest } from './http/s3-request.js';
import { routeS3Request, type RoutedRequest } from './routing/s3.router.js';
import { S3_OPERATIONS } from './operations/index.js';
import { pathStyleRawPath } from './routing/virtual-host.js';
import { Authorizer, type AccessDecision } from '../iam/authorization/authorizer.js';
import { globalConditionKeys } from '../iam/authorization/request-context.js';
import { CredentialsRegistry, type Identity } from '../iam/credentials.js';
import { s3ResourceArn } from '../policy/s3-resource-arn.js';
import { readRawBody, IAM_MAX_BODY_BYTES } from './iam-query-api/iam-body.js';
import { IamError } from '../errors/iam.error.js';
import { authQueryParams, usesQueryAuth, usesSigV2QueryAuth } from '../iam/sigv4/presigned.verifier.js';
import { verifySigV4, type SecretLookup, type VerifiedSignature } from '../iam/sigv4/sigv4.verifier.js';
import { verifyS3Signature } from '../iam/s3-signature.js';
import { verifyPostSignature } from '../iam/post-signature.js';
import { assertNoServerSideEncryption } from './http/server-side-encryption.js';

/**
 * Stands in front of every request and answers IAM's two questions. Who is calling: a SigV4
 * signature (Authorization header or presigned URL) names an access key, and no signature at
 * all is an anonymous caller. May they: the S3 operation is routed here, mapped to its IAM
 * action and resource, and judged by the caller's policies, the bucket policy and the bucket
 * ACL (Authorizer). DeleteObjects is judged per key by its operation. Requests signed for
 * service `iam` are IAM Query API calls: authenticated here, authorised per IAM action later.
 */
@Injectable()
export class IamGuard implements CanActivate {
  private readonly logger = new Logger('IAM');

  constructor(
    private readonly credentials: CredentialsRegistry,
    private readonly authorizer: Authorizer,
    @Inject(SEDIMENT_CONFIG) private readonly config: SedimentConfig,
    @Inject(MetadataStore) private readonly metadata: MetadataStore,
    private readonly directory: IdentityDirectory,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<S3HttpRequest>();
    const { rawPath, rawQuery } = splitUrl(req.originalUrl);
    const now = new Date();
    const headers = req.headersDistinct;

    const iamScope = iamCredentialScope(headers['authorization']?.[0]);
    if (iamScope) {
      req.sediment.protocol = 'iam';
      assertIamRegion(iamScope.region, this.config.SEDIMENT_REGION);
      const body = await readRawBody(req, IAM_MAX_BODY_BYTES);
      const bodySha256 = createHash('sha256').update(body).digest('hex');
      req.sediment.principal = this.authenticate((lookup) => verifySigV4({ method: req.method, rawPath, rawQuery, headers, service: 'iam', bodySha256 }, lookup, now), req);
      req.sediment.iamBody = body.toString('utf8');
      return true;
    }

    req.sediment.protocol = 's3';
    const host = req.headers.host;
    const domain = this.config.SEDIMENT_DOMAIN;
    const routeRequest = () =>
      routeS3Request(
        {
          method: req.method,
          rawPath,
          query: new URLSearchParams(rawQuery),
          host,
          copySource: req.headers['x-amz-copy-source'] !== undefined,
          formUpload: /^multipart\/form-data/i.test(req.headers['content-type'] ?? ''),
        },
        { domain },
      );
    // The CORS preflight is never signed (browsers send it without credentials) and is answered
    // from the bucket's CORS rules alone, by its operation.
    if (req.method === 'OPTIONS') {
      req.sediment.principal = anonymousPrincipal();
      req.sediment.resourcePath = pathStyleRawPath(rawPath, host, domain);
      req.sediment.route = routeRequest();
      return true;
    }
    // Before anything can fail, so that errors (a bad signature, AccessDenied) carry them too.
    if (req.headers.origin) {
      await applyCorsHeaders(req, context.switchToHttp().getResponse<Response>(), routedBucket(routeRequest), this.metadata);
    }
    const query = authQueryParams(rawQuery);
    const signed =
      (headers['authorization'] ?? []).some((v) => v.trim() !== '') ||
      usesQueryAuth(query) ||
      // SigV2 credentials are an authentication attempt (refused by the verifier), never anonymous.
      usesSigV2QueryAuth(query);
    const region = this.config.SEDIMENT_REGION;
    // Virtual-hosted style (Host: bucket.SEDIMENT_DOMAIN) routes, authorises and reports errors
    // as its path-style equivalent; a SigV4 signature is checked over the request as sent, a
    // SigV2 one over that path-style resource, as its clients sign it.
    const resourcePath = pathStyleRawPath(rawPath, host, domain);
    const sigV2 = this.config.SEDIMENT_SIGV2;
    const principal = signed
      ? this.authenticate((lookup) => verifyS3Signature({ method: req.method, rawPath, rawQuery, headers, region, resourcePath }, lookup, now, { sigV2 }), req)
      : anonymousPrincipal();
    req.sediment.principal = principal;
    req.sediment.resourcePath = resourcePath;
    const route = routeRequest();
    req.sediment.route = route;
    const operation = S3_OPERATIONS[route.operation];
    if (this.config.SEDIMENT_READ_ONLY && !operation.readOnly) {
      throw new S3Error('AccessDenied', { message: 'This Sediment instance serves a read-only snapshot.' });
    }
    const check: AccessCheck = (action, bucket, key, conditionKeys) => this.allowed(req, principal, route, action, bucket, key, now, conditionKeys);
    req.sediment.authorize = check;
    await this.assertExpectedBucketOwner(req, route.bucket);
    if (operation.action === 'in the form') {
      // POST Object: the form names its signer; the operation asks these once it has the fields.
      req.sediment.formSigner = (fields) => this.formSigner(fields, req);
      req.sediment.authorizeAs = (signer, action, bucket, key) => this.allowed(req, signer, route, action, bucket, key, now);
      assertNoServerSideEncryption(Object.keys(req.headers));
      return true;
    }
    // DeleteObjects names its keys in the body: its operation asks per key. The preflight was
    // answered above.
    if (operation.action === 'per key' || operation.action === 'unauthenticated') return true;
    // A request naming a version needs the …Version action (s3:GetObjectVersion, …), as in S3;
    // the router lets a versionId through only to operations that declare one.
    const versionId = new URLSearchParams(rawQuery).get('versionId');
    const action = versionId !== null && operation.versionAction !== undefined ? operation.versionAction : operation.action;
    const decision = await this.decide(req, principal, route, action, route.bucket, route.key, now);
    if (!decision.allowed && !(decision.objectMissing && (await this.mayLearnKeyIsMissing(req, principal, route, now)))) {
      await this.assertBucketExistsForAnonymous(principal, route);
      throw new S3Error('AccessDenied');
    }
    // Sediment encrypts nothing: SSE headers are refused before a byte is read or written.
    assertNoServerSideEncryption(Object.keys(req.headers));
    if (operation.storesTaggingHeader && taggingHeaderValue(req, new URLSearchParams(rawQuery)) !== undefined) {
      if (!(await this.allowed(req, principal, route, 's3:PutObjectTagging', route.bucket, route.key, now))) throw new S3Error('AccessDenied');
    }
    if (operation.storesAclHeaders && aclHeadersSent(req.headers)) {
      // As in S3: a write that sets its object's ACL needs s3:PutObjectAcl too.
      if (!(await this.allowed(req, principal, route, 's3:PutObjectAcl', route.bucket, route.key, now))) throw new S3Error('AccessDenied');
    }
    if (operation.storesLockHeaders) {
      // As in S3: a write that sets a version's retention or legal hold needs those actions too.
      const sent = lockHeadersSent(req);
      for (const [needed, extra] of [[sent.retention, 's3:PutObjectRetention'], [sent.legalHold, 's3:PutObjectLegalHold']] as const) {
        if (needed && !(await this.allowed(req, principal, route, extra, route.bucket, route.key, now))) throw new S3Error('AccessDenied');
      }
    }
    return true;
  }

  /** Who signed a form (POST Object): its own credentials, or anonymous without any. */
  private formSigner(fields: ReadonlyMap<string, string>, req: S3HttpRequest): Principal {
    let identity: Identity | undefined;
    const signed = verifyPostSignature(
      fields,
      (accessKeyId) => {
        identity = this.credentials.find(accessKeyId);
        return identity?.secretAccessKey;
      },
      { region: this.config.SEDIMENT_REGION, sigV2: this.config.SEDIMENT_SIGV2 },
    );
    if (signed === undefined) return anonymousPrincipal();
    if (!identity) throw new S3Error('InvalidAccessKeyId');
    req.sediment.principal = identity.principal;
    return identity.principal;
  }

  /** Who signed: `verify` checks the signature with the secret of the access key it names. */
  private authenticate(verify: (lookup: SecretLookup) => VerifiedSignature, req: S3HttpRequest): Principal {
    let identity: Identity | undefined;
    const signature = verify((accessKeyId) => {
      identity = this.credentials.find(accessKeyId);
      return identity?.secretAccessKey;
    });
    if (!identity) throw new S3Error('InvalidAccessKeyId');
    req.sediment.signature = signature;
    return identity.principal;
  }

  /**
   * x-amz-expected-bucket-owner (and x-amz-source-expected-bucket-owner for a copy's source): the
   * account the caller expects to own the bucket; any other is 403, so a request meant for one's
   * own bucket never lands in someone else's. A bucket that does not exist is left to the
   * operation (NoSuchBucket). Only a request carrying the header pays for the lookup.
   */
  private async assertExpectedBucketOwner(req: S3HttpRequest, bucket: string | undefined): Promise<void> {
    for (const [name, named] of [
      ['x-amz-expected-bucket-owner', () => bucket],
      ['x-amz-source-expected-bucket-owner', () => copySourceBucket(req)],
    ] as const) {
      const expected = req.headers[name];
      if (expected === undefined) continue;
      const target = named();
      const found = target === undefined ? null : await this.metadata.getBucket(target);
      if (!found) continue;
      const owner = this.directory.accountByCanonicalId(found.owner)?.accountId;
      if (String(expected).trim() !== owner) throw new S3Error('AccessDenied');
    }
  }

  /**
   * An anonymous request to a bucket that does not exist is 404 NoSuchBucket in S3, not 403:
   * nothing could have allowed it, and bucket names are global and public anyway. (CreateBucket
   * names a bucket that is not there by design: refused as any other anonymous write.)
   */
  private async assertBucketExistsForAnonymous(principal: Principal, route: RoutedRequest): Promise<void> {
    if (principal.type !== 'anonymous' || route.bucket === undefined || route.operation === 'CreateBucket') return;
    if (!(await this.metadata.getBucket(route.bucket))) {
      throw new S3Error('NoSuchBucket', { resource: `/${route.bucket}`, details: { BucketName: route.bucket } });
    }
  }

  private async allowed(...request: Parameters<IamGuard['decide']>): Promise<boolean> {
    return (await this.decide(...request)).allowed;
  }

  /**
   * A read of a key that does not exist, which nothing allowed (no policy, and no object ACL since
   * there is no object): S3 says 404 to a caller who may list the bucket for that name, so the
   * operation answers NoSuchKey; anyone else gets 403, so keys cannot be probed.
   */
  private async mayLearnKeyIsMissing(req: S3HttpRequest, principal: Principal, route: RoutedRequest, now: Date): Promise<boolean> {
    if (route.operation !== 'GetObject' && route.operation !== 'HeadObject') return false;
    return this.allowed(req, principal, route, 's3:ListBucket', route.bucket, undefined, now, { 's3:prefix': route.key ?? '' });
  }

  private async decide(
    req: S3HttpRequest,
    principal: Principal,
    route: RoutedRequest,
    action: string,
    bucket: string | undefined,
    key: string | undefined,
    now: Date,
    conditionKeys: Readonly<Record<string, string>> = {},
  ): Promise<AccessDecision> {
    // The version the request names applies to its own object, not to a copy source.
    const versionId = bucket === route.bucket && key === route.key ? new URLSearchParams(splitUrl(req.originalUrl).rawQuery).get('versionId') : null;
    const decision = await this.authorizer.authorize({
      principal,
      action,
      resource: s3ResourceArn(bucket, key),
      ...(bucket !== undefined ? { bucket } : {}),
      ...(bucket !== undefined && key !== undefined ? { object: { key, ...(versionId !== null ? { versionId } : {}) } } : {}),
      context: { ...globalConditionKeys(principal, requestFacts(req, now)), ...s3ConditionKeys(req, route), ...conditionKeys },
    });
    if (!decision.allowed) {
      this.logger.debug(`${principal.arn} denied ${action} on ${s3ResourceArn(bucket, key)} (${decision.reason})`);
    }
    return decision;
  }
}

/** The bucket of x-amz-copy-source, if the header is there and names one. */
function copySourceBucket(req: S3HttpRequest): string | undefined {
  if (req.headers['x-amz-copy-source'] === undefined) return undefined;
  try {
    return parseCopySource(req.headers['x-amz-copy-source']).bucket;
  } catch {
    return undefined; // the operation answers the malformed header
  }
}

/** The bucket a request names, if it routes at all (a request that does not gets no CORS headers). */
function routedBucket(route: () => RoutedRequest): string | undefined {
  try {
    return route().bucket;
  } catch {
    return undefined;
  }
}

/**
 * The credential scope of an Authorization header signed for service `iam`
 * (`…/20260101/us-east-1/iam/aws4_request`): an IAM Query API call. Undefined for any other request.
 */
function iamCredentialScope(authorization: string | undefined): { region: string } | undefined {
  const match = authorization ? /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/iam\/aws4_request/.exec(authorization) : null;
  return match ? { region: match[1]! } : undefined;
}

/**
 * IAM is global: AWS signs its requests for us-east-1, the region of its one endpoint, and so
 * do SDKs that know it. An SDK given this endpoint and a region of its own signs for that region,
 * which is this service's. Anything else gets IAM's answer.
 */
export function assertIamRegion(region: string, serviceRegion: string): void {
  if (region === 'us-east-1' || region === serviceRegion) return;
  throw new IamError('SignatureDoesNotMatch', `Credential should be scoped to a valid region, not '${region}'. `);
}

export function requestFacts(req: S3HttpRequest, now: Date) {
  const userAgent = req.headers['user-agent'];
  const referer = req.headers['referer'];
  return {
    remoteAddress: req.socket.remoteAddress,
    secure: req.secure,
    now,
    ...(userAgent !== undefined ? { userAgent } : {}),
    ...(referer !== undefined ? { referer } : {}),
  };
}

/** S3's own condition keys ("Actions, resources, and condition keys for Amazon S3"), when present. */
function s3ConditionKeys(req: S3HttpRequest, route: RoutedRequest): Record<string, string> {
  const keys: Record<string, string> = {};
  if (route.operation === 'ListObjects' || route.operation === 'ListObjectsV2') {
    const query = new URLSearchParams(splitUrl(req.originalUrl).rawQuery);
    for (const name of ['prefix', 'delimiter', 'max-keys']) {
      const value = query.get(name);
      if (value !== null) keys[`s3:${name}`] = value;
    }
  }
  const acl = req.headers['x-amz-acl'];
  if (typeof acl === 'string') keys['s3:x-amz-acl'] = acl;
  return keys;
}
