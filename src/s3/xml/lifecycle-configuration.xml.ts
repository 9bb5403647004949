import type { BucketLifecycleConfiguration, LifecycleExpiration, LifecycleFilter, LifecycleRule } from '../../bucket-stream/lifecycle-configuration.js';
import type { ObjectTag } from '../../bucket-stream/object-tags.js';
import { S3Error } from '../../errors/s3.error.js';
import { childElements, malformed, readSingleText, type XmlValue } from './hardened-xml.js';
import { xmlDocumentType } from './xml-body.js';
import { S3_XML_NAMESPACE } from './s3-xml.renderers.js';
import { element, renderXml, textElement, type XmlElement } from './xml.writer.js';

/** 1,000 rules of a few hundred bytes each stay below this; S3 does not say its own limit. */
export const MAX_LIFECYCLE_CONFIGURATION_BYTES = 1024 * 1024;

/** A rule as read, before the edge gives an ID to one without. */
export type ParsedLifecycleRule = Omit<LifecycleRule, 'id'> & { id?: string };

/**
 * The body of PutBucketLifecycleConfiguration: `<LifecycleConfiguration><Rule>+</...>`, each rule
 * with an optional ID, a Filter (or the legacy top-level Prefix), a Status and its actions.
 * Structure only (MalformedXML); the values are checked by assertValidLifecycleConfiguration.
 * Transitions answer NotImplemented: Sediment has one storage class to move objects to.
 */
export const LIFECYCLE_CONFIGURATION_DOCUMENT = xmlDocumentType('LifecycleConfiguration', MAX_LIFECYCLE_CONFIGURATION_BYTES, readConfiguration);

function readConfiguration(root: XmlValue): ParsedLifecycleRule[] {
  const rules: ParsedLifecycleRule[] = [];
  for (const [name, occurrences] of childElements(root, true)) {
    if (name !== 'Rule') throw malformed();
    rules.push(...occurrences.map(readRule));
  }
  if (rules.length === 0) throw malformed();
  return rules;
}

/** One child element of each name at most, as the schema has them. */
function singles(value: unknown, mayBeEmpty = false): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [name, occurrences] of childElements(value, mayBeEmpty)) {
    if (occurrences.length !== 1 || out.has(name)) throw malformed();
    out.set(name, occurrences[0]);
  }
  return out;
}

const text = (value: unknown) => readSingleText([value]);

function integer(value: unknown): number {
  const digits = text(value).trim();
  // An xsd:int in S3's schema (a long for the size filters); the range is the validator's.
  if (!/^-?\d{1,19}$/.test(digits)) throw malformed();
  return Number(digits);
}

function readRule(value: unknown): ParsedLifecycleRule {
  const children = singles(value);
  let id: string | undefined;
  let status: string | undefined;
  let filter: LifecycleFilter | undefined;
  let legacyPrefix = false;
  const rule: Partial<ParsedLifecycleRule> = {};
  for (const [name, child] of children) {
    switch (name) {
      case 'ID':
        id = text(child);
        break;
      case 'Status':
        status = text(child);
        break;
      case 'Filter':
        if (filter) throw malformed();
        filter = readFilter(child);
        break;
      case 'Prefix':
        // The legacy form: a rule-level prefix instead of a Filter.
        if (filter) throw malformed();
        filter = { prefix: text(child) };
        legacyPrefix = true;
        break;
      case 'Expiration':
        rule.expiration = readExpiration(child);
        break;
      case 'NoncurrentVersionExpiration': {
        const fields = singles(child);
        const days = fields.get('NoncurrentDays');
        const newer = fields.get('NewerNoncurrentVersions');
        if (days === undefined || [...fields.keys()].some((k) => k !== 'NoncurrentDays' && k !== 'NewerNoncurrentVersions')) throw malformed();
        rule.noncurrentVersionExpiration = { noncurrentDays: integer(days), ...(newer !== undefined ? { newerNoncurrentVersions: integer(newer) } : {}) };
        break;
      }
      case 'AbortIncompleteMultipartUpload': {
        const fields = singles(child);
        const days = fields.get('DaysAfterInitiation');
        if (days === undefined || fields.size !== 1) throw malformed();
        rule.abortIncompleteMultipartUpload = { daysAfterInitiation: integer(days) };
        break;
      }
      case 'Transition':
      case 'NoncurrentVersionTransition':
        throw new S3Error('NotImplemented', { message: 'Lifecycle transitions are not implemented: Sediment has one storage class.' });
      default:
        throw malformed();
    }
  }
  if (status !== 'Enabled' && status !== 'Disabled') throw malformed();
  if (!filter) throw malformed();
  return { ...(id !== undefined ? { id } : {}), status, filter, ...(legacyPrefix ? { legacyPrefix: true as const } : {}), ...rule };
}

function readExpiration(value: unknown): LifecycleExpiration {
  const out: LifecycleExpiration = {};
  for (const [name, child] of singles(value)) {
    if (name === 'Days') out.days = integer(child);
    else if (name === 'Date') {
      const date = Date.parse(text(child).trim());
      if (!Number.isFinite(date)) throw new S3Error('InvalidArgument', { message: "'Date' must be at midnight GMT" });
      out.date = new Date(date).toISOString();
    } else if (name === 'ExpiredObjectDeleteMarker') {
      const flag = text(child).trim();
      if (flag !== 'true' && flag !== 'false') throw malformed();
      out.expiredObjectDeleteMarker = flag === 'true';
    } else throw malformed();
  }
  return out;
}

/** `<Filter/>` (every object), or exactly one of Prefix, Tag, the size bounds, or And of them. */
function readFilter(value: unknown): LifecycleFilter {
  const children = singles(value, true);
  if (children.size === 0) return {};
  if (children.size !== 1) throw malformed();
  const [[name, child]] = [...children];
  if (name === 'And') return readAnd(child);
  return readCondition({}, name!, child);
}

function readAnd(value: unknown): LifecycleFilter {
  let filter: LifecycleFilter = {};
  for (const [name, occurrences] of childElements(value)) {
    if (name === 'Tag') {
      filter = { ...filter, tags: [...(filter.tags ?? []), ...occurrences.map(readTag)] };
      continue;
    }
    if (occurrences.length !== 1) throw malformed();
    filter = readCondition(filter, name, occurrences[0]);
  }
  return filter;
}

function readCondition(filter: LifecycleFilter, name: string, child: unknown): LifecycleFilter {
  switch (name) {
    case 'Prefix':
      return { ...filter, prefix: text(child) };
    case 'Tag':
      return { ...filter, tags: [readTag(child)] };
    case 'ObjectSizeGreaterThan':
      return { ...filter, objectSizeGreaterThan: integer(child) };
    case 'ObjectSizeLessThan':
      return { ...filter, objectSizeLessThan: integer(child) };
    default:
      throw malformed();
  }
}

function readTag(value: unknown): ObjectTag {
  const fields = singles(value);
  const key = fields.get('Key');
  const tagValue = fields.get('Value');
  if (key === undefined || tagValue === undefined || fields.size !== 2) throw malformed();
  return { key: text(key), value: text(tagValue) };
}

/** GetBucketLifecycleConfiguration's answer: every rule with its Filter, or its rule-level Prefix when it was sent so (as S3). */
export function renderLifecycleConfiguration(configuration: BucketLifecycleConfiguration): string {
  return renderXml(element('LifecycleConfiguration', configuration.rules.map(ruleElement), { xmlns: S3_XML_NAMESPACE }));
}

function ruleElement(rule: LifecycleRule): XmlElement {
  const { expiration, noncurrentVersionExpiration: noncurrent, abortIncompleteMultipartUpload: abort } = rule;
  return element('Rule', [
    ...(expiration
      ? [
          element('Expiration', [
            ...(expiration.days !== undefined ? [textElement('Days', expiration.days)] : []),
            ...(expiration.date !== undefined ? [textElement('Date', expiration.date)] : []),
            ...(expiration.expiredObjectDeleteMarker !== undefined ? [textElement('ExpiredObjectDeleteMarker', expiration.expiredObjectDeleteMarker)] : []),
          ]),
        ]
      : []),
    textElement('ID', rule.id),
    rule.legacyPrefix ? textElement('Prefix', rule.filter.prefix ?? '') : filterElement(rule.filter),
    textElement('Status', rule.status),
    ...(noncurrent
      ? [
          element('NoncurrentVersionExpiration', [
            textElement('NoncurrentDays', noncurrent.noncurrentDays),
            ...(noncurrent.newerNoncurrentVersions !== undefined ? [textElement('NewerNoncurrentVersions', noncurrent.newerNoncurrentVersions)] : []),
          ]),
        ]
      : []),
    ...(abort ? [element('AbortIncompleteMultipartUpload', [textElement('DaysAfterInitiation', abort.daysAfterInitiation)])] : []),
  ]);
}

function filterElement(filter: LifecycleFilter): XmlElement {
  const conditions: XmlElement[] = [
    ...(filter.prefix !== undefined ? [textElement('Prefix', filter.prefix)] : []),
    ...(filter.tags ?? []).map((t) => element('Tag', [textElement('Key', t.key), textElement('Value', t.value)])),
    ...(filter.objectSizeGreaterThan !== undefined ? [textElement('ObjectSizeGreaterThan', filter.objectSizeGreaterThan)] : []),
    ...(filter.objectSizeLessThan !== undefined ? [textElement('ObjectSizeLessThan', filter.objectSizeLessThan)] : []),
  ];
  return element('Filter', conditions.length > 1 ? [element('And', conditions)] : conditions);
}
