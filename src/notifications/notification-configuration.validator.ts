import { S3Error } from '../errors/s3.error.js';
import {
  destinationTopicOf,
  filtersOverlap,
  S3_NOTIFICATION_EVENTS,
  subscriptionsOverlap,
  type BucketNotificationConfiguration,
  type KeyFilter,
  type TopicNotificationConfiguration,
} from '../bucket-stream/notification-configuration.js';

/** A TopicConfiguration as the XML body states it, before any semantic check. */
export interface RequestedTopicConfiguration {
  id?: string;
  topicArn: string;
  events: string[];
  filterRules: { name: string; value: string }[];
}

export interface RequestedNotificationConfiguration {
  topicConfigurations: RequestedTopicConfiguration[];
}

export interface NotificationValidationContext {
  /** The bucket's region: AWS refuses destinations in another one. */
  region: string;
  /** An id for a configuration that has none (AWS generates one too). */
  newId: () => string;
  /** Kafka topics that must never receive notifications: Sediment's own event logs. */
  reservedTopics: ReadonlySet<string>;
}

const MAX_CONFIGURATIONS = 100;
const MAX_ID_LENGTH = 255;
const MAX_FILTER_VALUE_BYTES = 1024;
/** SNS-style: partition, region, 12-digit account, then the Kafka topic name. */
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([^:]+)$/;
/** Kafka's own rule for topic names. */
const KAFKA_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

const OVERLAP = 'Configurations overlap. Configurations on the same bucket cannot share a common event type.';
const AMBIGUOUS =
  'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.';

/**
 * Checks a requested configuration as S3 does and returns its normalised form: ids filled in,
 * filter rules as {prefix, suffix}. Every refusal is the InvalidArgument AWS answers, with
 * AWS's message; nothing is recorded then.
 */
export function normaliseNotificationConfiguration(
  requested: RequestedNotificationConfiguration,
  context: NotificationValidationContext,
): BucketNotificationConfiguration {
  if (requested.topicConfigurations.length > MAX_CONFIGURATIONS) {
    throw new S3Error('InvalidRequest', {
      message: `Too many configurations submitted. The maximum number of configurations is ${MAX_CONFIGURATIONS}`,
    });
  }
  const configurations = requested.topicConfigurations.map((c) => normaliseOne(c, context));
  assertUniqueIds(configurations);
  assertNoOverlap(configurations);
  return { topicConfigurations: configurations };
}

function normaliseOne(requested: RequestedTopicConfiguration, context: NotificationValidationContext): TopicNotificationConfiguration {
  const id = requested.id === undefined || requested.id === '' ? context.newId() : requested.id;
  if (id.length > MAX_ID_LENGTH) throw invalidArgument(`ID length exceeded allowed limit of ${MAX_ID_LENGTH}`);
  assertTopicArn(requested.topicArn, context);
  for (const event of requested.events) {
    if (!S3_NOTIFICATION_EVENTS.has(event)) {
      throw invalidArgument('The event is not supported for notifications', { ArgumentName: 'Event', ArgumentValue: event });
    }
  }
  requested.events.forEach((event, i) => {
    if (subscriptionsOverlap([event], requested.events.slice(0, i))) throw invalidArgument(OVERLAP);
  });
  const filter = normaliseFilter(requested.filterRules);
  return { id, topicArn: requested.topicArn, events: [...requested.events], ...(filter ? { filter } : {}) };
}

function assertTopicArn(arn: string, context: NotificationValidationContext): void {
  const match = TOPIC_ARN.exec(arn);
  if (!match) throw invalidArgument('The ARN could not be parsed', { ArgumentName: 'TopicArn', ArgumentValue: arn });
  if (match[1] !== context.region) {
    throw invalidArgument('The notification destination service region is not valid for the bucket location constraint', {
      ArgumentName: 'TopicArn',
      ArgumentValue: arn,
    });
  }
  const topic = destinationTopicOf(arn);
  const why = !KAFKA_TOPIC.test(topic) || topic === '.' || topic === '..'
    ? "The topic name is not a valid Kafka topic name (1-249 of a-z, A-Z, 0-9, '.', '_', '-')"
    : context.reservedTopics.has(topic)
      ? "Sediment's own event topics cannot receive notifications"
      : undefined;
  // AWS's answer for a destination it cannot publish to: the ARN and the reason as details.
  if (why) throw invalidArgument('Unable to validate the following destination configurations', { ArgumentName1: arn, ArgumentValue1: why });
}

function normaliseFilter(rules: RequestedTopicConfiguration['filterRules']): KeyFilter | undefined {
  if (rules.length === 0) return undefined;
  const filter: KeyFilter = {};
  for (const rule of rules) {
    const name = rule.name.toLowerCase();
    if (name !== 'prefix' && name !== 'suffix') {
      throw invalidArgument('filter rule name must be either prefix or suffix', { ArgumentName: rule.name, ArgumentValue: rule.value });
    }
    if (filter[name] !== undefined) throw invalidArgument(`Cannot specify more than one ${name} rule in a filter.`);
    if (rule.value === '') throw invalidArgument('filter value cannot be empty', { ArgumentName: rule.name, ArgumentValue: rule.value });
    if (Buffer.byteLength(rule.value, 'utf8') > MAX_FILTER_VALUE_BYTES) {
      throw invalidArgument('Size of filter rule value cannot exceed 1024 bytes in UTF-8 representation');
    }
    filter[name] = rule.value;
  }
  // One fixed member order, so equal filters serialise equally.
  return { ...(filter.prefix !== undefined ? { prefix: filter.prefix } : {}), ...(filter.suffix !== undefined ? { suffix: filter.suffix } : {}) };
}

function assertUniqueIds(configurations: readonly TopicNotificationConfiguration[]): void {
  const ids = new Set<string>();
  for (const { id } of configurations) {
    if (ids.has(id)) throw invalidArgument('Same ID used for multiple configurations. IDs must be unique.');
    ids.add(id);
  }
}

/** At most one configuration may deliver any event of any key: AWS refuses overlaps outright. */
function assertNoOverlap(configurations: readonly TopicNotificationConfiguration[]): void {
  configurations.forEach((current, i) => {
    for (const earlier of configurations.slice(0, i)) {
      if (!subscriptionsOverlap(current.events, earlier.events) || !filtersOverlap(current.filter, earlier.filter)) continue;
      throw invalidArgument(current.filter === undefined && earlier.filter === undefined ? OVERLAP : AMBIGUOUS);
    }
  });
}

function invalidArgument(message: string, details?: Record<string, string>): S3Error {
  return new S3Error('InvalidArgument', { message, ...(details ? { details } : {}) });
}
