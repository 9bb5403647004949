/**
 * A bucket's notification configuration in its normalised form: the `configuration` of the
 * BucketNotificationConfigured event (docs/events.md), the read model's copy and what the relay
 * folds. Only topic configurations exist: Sediment's destinations are Kafka topics, named by the
 * last segment of an SNS-style topic ARN.
 */
export interface BucketNotificationConfiguration {
  topicConfigurations: TopicNotificationConfiguration[];
}

export interface TopicNotificationConfiguration {
  id: string;
  /** `arn:aws:sns:<region>:<account>:<kafka-topic>`, as put. */
  topicArn: string;
  /** S3 event names as put, e.g. `s3:ObjectCreated:*`; never empty. */
  events: string[];
  /** Key filter values exactly as put (URL-encoded, as AWS asks); absent means every key. */
  filter?: KeyFilter;
}

export interface KeyFilter {
  prefix?: string;
  suffix?: string;
}

/**
 * Every event type AWS lets SNS/SQS/Lambda destinations subscribe to ("Event notification types
 * and destinations"). Sediment accepts them all, so a configuration written for AWS is taken as
 * is, but only the operations it serves fire: PutObject (ObjectCreated:Put), CopyObject
 * (ObjectCreated:Copy), CompleteMultipartUpload, DeleteObject/DeleteObjects (ObjectRemoved:Delete)
 * and the lifecycle worker's expiries (LifecycleExpiration:Delete and :DeleteMarkerCreated, ADR 0022).
 */
export const S3_NOTIFICATION_EVENTS: ReadonlySet<string> = new Set([
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:ReducedRedundancyLostObject',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold',
  's3:Replication:OperationNotTracked',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
]);

export const EMPTY_NOTIFICATION_CONFIGURATION: BucketNotificationConfiguration = { topicConfigurations: [] };

/** Whether a subscription (`s3:ObjectCreated:*` or an exact name) covers an event name. */
export function subscriptionCovers(subscription: string, eventName: string): boolean {
  if (subscription === eventName) return true;
  return subscription.endsWith(':*') && eventName.startsWith(subscription.slice(0, -1));
}

/** Whether two subscriptions can both cover one event (AWS refuses such pairs where filters overlap too). */
export function subscriptionsOverlap(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.some((y) => subscriptionCovers(x, y) || subscriptionCovers(y, x)));
}

/**
 * AWS asks for filter values URL-encoded (a space as '+', other special characters as %XX), the
 * way keys appear in event messages. We decode them once and compare with the key itself, which
 * agrees with AWS for every correctly encoded value; a value that does not decode is taken
 * literally rather than turned into a filter that matches everything or nothing.
 */
export function decodeFilterValue(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}

export function keyMatchesFilter(filter: KeyFilter | undefined, key: string): boolean {
  if (filter === undefined) return true;
  const { prefix, suffix } = decodedFilter(filter);
  return key.startsWith(prefix) && key.endsWith(suffix);
}

/**
 * Whether some key could match both filters: their prefixes must be compatible (one starts
 * with the other) and so must their suffixes; then a key of the longer prefix followed by the
 * longer suffix matches both.
 */
export function filtersOverlap(a: KeyFilter | undefined, b: KeyFilter | undefined): boolean {
  const x = decodedFilter(a ?? {});
  const y = decodedFilter(b ?? {});
  const prefixes = x.prefix.startsWith(y.prefix) || y.prefix.startsWith(x.prefix);
  const suffixes = x.suffix.endsWith(y.suffix) || y.suffix.endsWith(x.suffix);
  return prefixes && suffixes;
}

function decodedFilter(filter: KeyFilter): { prefix: string; suffix: string } {
  return { prefix: decodeFilterValue(filter.prefix ?? ''), suffix: decodeFilterValue(filter.suffix ?? '') };
}

/** The configurations of `config` an event of this name on this key is delivered for. */
export function matchingConfigurations(
  config: BucketNotificationConfiguration,
  eventName: string,
  key: string,
): TopicNotificationConfiguration[] {
  return config.topicConfigurations.filter(
    (c) => c.events.some((s) => subscriptionCovers(s, eventName)) && keyMatchesFilter(c.filter, key),
  );
}

/** `arn:aws:sns:us-east-1:000000000000:orders` → `orders`: the Kafka topic notifications go to. */
export function destinationTopicOf(topicArn: string): string {
  return topicArn.slice(topicArn.lastIndexOf(':') + 1);
}

/** Equal configurations record nothing when put again; the normalised form makes JSON comparable. */
export function sameConfiguration(
  a: BucketNotificationConfiguration | undefined,
  b: BucketNotificationConfiguration | undefined,
): boolean {
  return JSON.stringify(a ?? EMPTY_NOTIFICATION_CONFIGURATION) === JSON.stringify(b ?? EMPTY_NOTIFICATION_CONFIGURATION);
}
