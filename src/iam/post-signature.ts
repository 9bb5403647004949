import { createHmac, timingSafeEqual } from 'node:crypto';
import { S3Error } from '../errors/s3.error.js';
import { deriveSigningKey } from './sigv4/signing-key.js';
import { sigV2NotSupported, type SecretLookup } from './sigv4/sigv4-common.js';

/**
 * Who signed a browser form upload (POST Object). The form carries its own credentials: with
 * SigV4, `x-amz-algorithm`, `x-amz-credential`, `x-amz-date` and `x-amz-signature`, the hex
 * HMAC-SHA256 of the base64 policy under the scope's signing key; with SigV2, `AWSAccessKeyId` and
 * `signature`, the base64 HMAC-SHA1 of it under the secret. A form with neither is anonymous
 * (undefined). Field names are lower-case. Pure: the secret lookup is injected.
 */
export function verifyPostSignature(
  fields: ReadonlyMap<string, string>,
  lookup: SecretLookup,
  options: { region: string; sigV2: boolean },
): { accessKeyId: string } | undefined {
  const policy = fields.get('policy');
  const v4 = ['x-amz-algorithm', 'x-amz-credential', 'x-amz-signature'].some((name) => fields.has(name));
  const v2 = fields.has('awsaccesskeyid') || fields.has('signature');
  if (!v4 && !v2) {
    if (policy !== undefined) throw missingField('x-amz-credential');
    return undefined;
  }
  if (policy === undefined) throw missingField('policy');
  if (v4) return verifyV4(fields, policy, lookup, options.region);
  if (!options.sigV2) throw sigV2NotSupported();
  return verifyV2(fields, policy, lookup);
}

function missingField(name: string): S3Error {
  return new S3Error('InvalidArgument', {
    message: `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`,
    details: { ArgumentName: name, ArgumentValue: '' },
  });
}

function verifyV4(fields: ReadonlyMap<string, string>, policy: string, lookup: SecretLookup, region: string): { accessKeyId: string } {
  for (const name of ['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature']) if (!fields.has(name)) throw missingField(name);
  if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') {
    throw new S3Error('InvalidArgument', { message: 'Only AWS4-HMAC-SHA256 is supported', details: { ArgumentName: 'x-amz-algorithm', ArgumentValue: fields.get('x-amz-algorithm')! } });
  }
  const credential = fields.get('x-amz-credential')!;
  const scope = /^([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request$/.exec(credential);
  if (!scope) {
    throw new S3Error('InvalidArgument', { message: `Invalid credential: ${credential}`, details: { ArgumentName: 'x-amz-credential', ArgumentValue: credential } });
  }
  const [, accessKeyId, date, scopeRegion] = scope as unknown as [string, string, string, string];
  if (scopeRegion !== region) {
    throw new S3Error('AuthorizationQueryParametersError', {
      message: `Error parsing the X-Amz-Credential parameter; the region '${scopeRegion}' is wrong; expecting '${region}'`,
    });
  }
  const secret = lookup(accessKeyId);
  if (secret === undefined) throw new S3Error('InvalidAccessKeyId', { details: { AWSAccessKeyId: accessKeyId } });
  const expected = createHmac('sha256', deriveSigningKey(secret, date, region, 's3')).update(policy).digest();
  assertSame(expected, Buffer.from(fields.get('x-amz-signature')!, 'hex'), accessKeyId);
  return { accessKeyId };
}

function verifyV2(fields: ReadonlyMap<string, string>, policy: string, lookup: SecretLookup): { accessKeyId: string } {
  for (const name of ['awsaccesskeyid', 'signature']) if (!fields.has(name)) throw missingField(name === 'awsaccesskeyid' ? 'AWSAccessKeyId' : name);
  const accessKeyId = fields.get('awsaccesskeyid')!;
  const secret = lookup(accessKeyId);
  if (secret === undefined) throw new S3Error('InvalidAccessKeyId', { details: { AWSAccessKeyId: accessKeyId } });
  const expected = createHmac('sha1', secret).update(policy).digest();
  assertSame(expected, Buffer.from(fields.get('signature')!, 'base64'), accessKeyId);
  return { accessKeyId };
}

function assertSame(expected: Buffer, provided: Buffer, accessKeyId: string): void {
  if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) {
    throw new S3Error('SignatureDoesNotMatch', { details: { AWSAccessKeyId: accessKeyId } });
  }
}
