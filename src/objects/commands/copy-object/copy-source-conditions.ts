import { S3Error } from '../../../errors/s3.error.js';
import { evaluatePreconditions, type ConditionalHeaders, type ObjectValidators } from '../../preconditions.js';

const COPY_CONDITIONS = ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'] as const;

/**
 * The x-amz-copy-source-if-* headers, evaluated in the order of the plain conditional headers
 * (so if-match true + if-unmodified-since false copies, as AWS documents), except that where
 * a GET would answer 304, a copy answers 412: CopyObject and UploadPartCopy never answer 304.
 */
export function assertCopySourcePreconditions(headers: ConditionalHeaders, source: ObjectValidators): void {
  const mapped: Record<string, string | string[] | undefined> = {};
  for (const name of COPY_CONDITIONS) mapped[name] = headers[`x-amz-copy-source-${name}`];
  const outcome = evaluatePreconditions(mapped, source);
  if (outcome === 'proceed') return;
  const condition = outcome === 'not-modified' ? notModifiedCondition(mapped) : `x-amz-copy-source-${String(outcome.details.Condition)}`;
  throw new S3Error('PreconditionFailed', { details: { Condition: condition } });
}

function notModifiedCondition(mapped: Record<string, unknown>): string {
  return mapped['if-none-match'] !== undefined ? 'x-amz-copy-source-If-None-Match' : 'x-amz-copy-source-If-Modified-Since';
}
