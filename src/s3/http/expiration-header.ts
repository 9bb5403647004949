import type { Response } from 'express';
import { currentVersionExpiration, type BucketLifecycleConfiguration, type LifecycleSubject } from '../../bucket-stream/lifecycle-configuration.js';

/**
 * `x-amz-expiration: expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="<url-encoded id>"`:
 * when the earliest Days or Date rule of the bucket expires this current version, as S3 sends it
 * on PutObject, GetObject and HeadObject. Nothing when no rule expires it.
 */
export function expirationHeaderValue(
  configuration: BucketLifecycleConfiguration | undefined,
  object: LifecycleSubject & { createdAt: Date },
  dayMs: number,
): string | undefined {
  const expiry = currentVersionExpiration(configuration, object, dayMs);
  return expiry && `expiry-date="${expiry.at.toUTCString()}", rule-id="${encodeURIComponent(expiry.ruleId)}"`;
}

export function setExpirationHeader(
  res: Response,
  configuration: BucketLifecycleConfiguration | undefined,
  object: LifecycleSubject & { createdAt: Date },
  dayMs: number,
): void {
  const value = expirationHeaderValue(configuration, object, dayMs);
  if (value !== undefined) res.setHeader('x-amz-expiration', value);
}

/** A rule ID as a header value: as is when it is printable ASCII, else URL-encoded (a header holds nothing else). */
export function headerSafeRuleId(ruleId: string): string {
  return /^[\x20-\x7e]*$/.test(ruleId) ? ruleId : encodeURIComponent(ruleId);
}
