import type { BucketNotificationConfiguration } from '../../bucket-stream/notification-configuration.js';
import type {
  RequestedNotificationConfiguration,
  RequestedTopicConfiguration,
} from '../../notifications/notification-configuration.validator.js';
import { S3Error } from '../../errors/s3.error.js';
import { isRecord, malformed, readSingleText, type XmlValue } from './hardened-xml.js';
import { xmlDocumentType } from './xml-body.js';
import { S3_XML_NAMESPACE } from './s3-xml.renderers.js';
import { element, renderXml, textElement, type XmlElement } from './xml.writer.js';

/** 100 configurations with 1 KiB filter values and every event type stay far below this. */
export const MAX_NOTIFICATION_CONFIGURATION_BYTES = 1024 * 1024;

/**
 * Destinations S3 has and Sediment does not: notifications go to Kafka topics only, through
 * TopicConfiguration. (LambdaFunctionConfiguration travels as CloudFunctionConfiguration.)
 */
const UNSUPPORTED_DESTINATIONS = new Set(['QueueConfiguration', 'CloudFunctionConfiguration', 'EventBridgeConfiguration']);

/**
 * The body of PutBucketNotificationConfiguration:
 * `<NotificationConfiguration><TopicConfiguration><Id/>?<Topic/><Event/>+<Filter><S3Key>
 * <FilterRule><Name/><Value/></FilterRule>*</S3Key></Filter>?</TopicConfiguration>*
 * </NotificationConfiguration>`. Structure only: names and values are checked by the
 * validator. Not that shape → MalformedXML; another destination kind → NotImplemented.
 */
/** Read from the request as it arrives (`NOTIFICATION_CONFIGURATION_DOCUMENT.read`), or parsed from memory. */
export const NOTIFICATION_CONFIGURATION_DOCUMENT = xmlDocumentType('NotificationConfiguration', MAX_NOTIFICATION_CONFIGURATION_BYTES, readNotificationConfiguration);

export function parseNotificationConfiguration(xml: string): RequestedNotificationConfiguration {
  return NOTIFICATION_CONFIGURATION_DOCUMENT.parse(xml);
}

function readNotificationConfiguration(root: XmlValue): RequestedNotificationConfiguration {
  // `<NotificationConfiguration/>` (or only whitespace inside) removes every configuration.
  if (typeof root === 'string') {
    if (root.trim() !== '') throw malformed();
    return { topicConfigurations: [] };
  }
  const topicConfigurations: RequestedTopicConfiguration[] = [];
  for (const [name, value] of membersOf(root)) {
    if (name === 'TopicConfiguration') topicConfigurations.push(...asArray(value).map(readTopicConfiguration));
    else if (UNSUPPORTED_DESTINATIONS.has(name)) {
      throw new S3Error('NotImplemented', {
        message: `${name} is not supported: Sediment delivers notifications to Kafka topics, configured as TopicConfiguration`,
      });
    } else throw malformed();
  }
  return { topicConfigurations };
}

function readTopicConfiguration(value: unknown): RequestedTopicConfiguration {
  let id: string | undefined;
  let topicArn: string | undefined;
  const events: string[] = [];
  let filterRules: RequestedTopicConfiguration['filterRules'] = [];
  let filters = 0;
  for (const [name, member] of membersOf(value)) {
    if (name === 'Id') id = readSingleText(member);
    else if (name === 'Topic') topicArn = readSingleText(member);
    else if (name === 'Event') events.push(...asArray(member).map((e) => readSingleText([e])));
    else if (name === 'Filter') {
      filters += asArray(member).length;
      filterRules = readFilter(member);
    } else throw malformed();
  }
  if (topicArn === undefined || events.length === 0 || filters > 1) throw malformed();
  return { ...(id !== undefined ? { id } : {}), topicArn, events, filterRules };
}

/** `<Filter><S3Key><FilterRule>…</FilterRule>*</S3Key></Filter>`; an empty Filter or S3Key filters nothing. */
function readFilter(value: unknown): RequestedTopicConfiguration['filterRules'] {
  const [filter] = asArray(value);
  const rules: RequestedTopicConfiguration['filterRules'] = [];
  for (const [name, keys] of membersOf(filter, true)) {
    if (name !== 'S3Key' || asArray(keys).length !== 1) throw malformed();
    for (const [ruleName, ruleValues] of membersOf(asArray(keys)[0], true)) {
      if (ruleName !== 'FilterRule') throw malformed();
      rules.push(...asArray(ruleValues).map(readFilterRule));
    }
  }
  return rules;
}

function readFilterRule(value: unknown): { name: string; value: string } {
  let name: string | undefined;
  let text: string | undefined;
  for (const [member, content] of membersOf(value)) {
    if (member === 'Name') name = readSingleText(content);
    else if (member === 'Value') text = readSingleText(content);
    else throw malformed();
  }
  if (name === undefined || text === undefined) throw malformed();
  return { name, value: text };
}

/**
 * The child elements of an element, indentation dropped. `mayBeEmpty` lets `<Filter/>` (parsed
 * as '') through as an element without children.
 */
function membersOf(value: unknown, mayBeEmpty = false): [string, unknown][] {
  if (mayBeEmpty && typeof value === 'string' && value.trim() === '') return [];
  if (!isRecord(value)) throw malformed();
  return Object.entries(value).filter(([name, member]) => {
    if (name !== '#text') return true;
    const texts = Array.isArray(member) ? member : [member];
    if (!texts.every((t) => typeof t === 'string' && t.trim() === '')) throw malformed();
    return false;
  });
}

function asArray(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw malformed();
  return value;
}


/** GetBucketNotificationConfiguration's answer; no configuration is an empty document, as in S3. */
export function renderNotificationConfiguration(config: BucketNotificationConfiguration | undefined): string {
  return renderXml(
    element('NotificationConfiguration', (config?.topicConfigurations ?? []).map(topicConfigurationElement), {
      xmlns: S3_XML_NAMESPACE,
    }),
  );
}

function topicConfigurationElement(c: BucketNotificationConfiguration['topicConfigurations'][number]): XmlElement {
  // S3 answers rule names capitalised, whatever case they were put in.
  const rules = [
    ...(c.filter?.prefix !== undefined ? [filterRule('Prefix', c.filter.prefix)] : []),
    ...(c.filter?.suffix !== undefined ? [filterRule('Suffix', c.filter.suffix)] : []),
  ];
  return element('TopicConfiguration', [
    textElement('Id', c.id),
    textElement('Topic', c.topicArn),
    ...c.events.map((e) => textElement('Event', e)),
    ...(rules.length > 0 ? [element('Filter', [element('S3Key', rules)])] : []),
  ]);
}

function filterRule(name: string, value: string): XmlElement {
  return element('FilterRule', [textElement('Name', name), textElement('Value', value)]);
}
