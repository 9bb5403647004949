import {
  isRetentionMode,
  parseRetainUntilDate,
  type DefaultRetention,
  type ObjectRetention,
  type RetentionMode,
} from '../../bucket-stream/object-lock.js';
import { childElements, malformed, readSingleText, type XmlValue } from './hardened-xml.js';
import { xmlDocumentType } from './xml-body.js';
import { S3_XML_NAMESPACE } from './s3-xml.renderers.js';
import { element, renderXml, textElement, type XmlElement } from './xml.writer.js';

/** Each of these documents is a handful of short elements; this bounds what an abusive body costs. */
export const MAX_OBJECT_LOCK_DOCUMENT_BYTES = 64 * 1024;

/**
 * PutObjectLockConfiguration: `<ObjectLockConfiguration><ObjectLockEnabled>Enabled</…>[<Rule>
 * <DefaultRetention><Mode/>(<Days/>|<Years/>)</DefaultRetention></Rule>]</…>`. Structure, the
 * mode and whole numbers here (else MalformedXML); the period's bounds are the decider's.
 */
export const OBJECT_LOCK_CONFIGURATION_DOCUMENT = xmlDocumentType('ObjectLockConfiguration', MAX_OBJECT_LOCK_DOCUMENT_BYTES, readObjectLockConfiguration);

/** PutObjectRetention: `<Retention><Mode/><RetainUntilDate/></Retention>`, or an empty one (null: remove). */
export const RETENTION_DOCUMENT = xmlDocumentType('Retention', MAX_OBJECT_LOCK_DOCUMENT_BYTES, readRetention);

/** PutObjectLegalHold: `<LegalHold><Status>ON|OFF</Status></LegalHold>`, as true or false. */
export const LEGAL_HOLD_DOCUMENT = xmlDocumentType('LegalHold', MAX_OBJECT_LOCK_DOCUMENT_BYTES, readLegalHold);

/** Each child element at most once, by name; anything not in `allowed` is MalformedXML. */
function singleChildren(value: unknown, allowed: readonly string[]): Map<string, unknown> {
  const children = new Map<string, unknown>();
  for (const [name, occurrences] of childElements(value, true)) {
    if (!allowed.includes(name) || occurrences.length !== 1 || children.has(name)) throw malformed();
    children.set(name, occurrences[0]);
  }
  return children;
}

function text(value: unknown): string {
  return readSingleText([value]).trim();
}

function readMode(value: unknown): RetentionMode {
  const mode = text(value);
  if (!isRetentionMode(mode)) throw malformed();
  return mode;
}

function readObjectLockConfiguration(root: XmlValue): DefaultRetention | null {
  const children = singleChildren(root, ['ObjectLockEnabled', 'Rule']);
  if (!children.has('ObjectLockEnabled') || text(children.get('ObjectLockEnabled')) !== 'Enabled') throw malformed();
  if (!children.has('Rule')) return null;
  const rule = singleChildren(children.get('Rule'), ['DefaultRetention']);
  if (!rule.has('DefaultRetention')) throw malformed();
  const retention = singleChildren(rule.get('DefaultRetention'), ['Mode', 'Days', 'Years']);
  if (!retention.has('Mode') || retention.has('Days') === retention.has('Years')) throw malformed();
  const mode = readMode(retention.get('Mode'));
  const period = text(retention.get('Days') ?? retention.get('Years'));
  if (!/^-?\d{1,12}$/.test(period)) throw malformed();
  return retention.has('Days') ? { mode, days: Number(period) } : { mode, years: Number(period) };
}

function readRetention(root: XmlValue): ObjectRetention | null {
  const children = singleChildren(root, ['Mode', 'RetainUntilDate']);
  if (children.size === 0) return null;
  if (!children.has('Mode') || !children.has('RetainUntilDate')) throw malformed();
  const retainUntil = parseRetainUntilDate(text(children.get('RetainUntilDate')));
  if (retainUntil === undefined) throw malformed();
  return { mode: readMode(children.get('Mode')), retainUntil };
}

function readLegalHold(root: XmlValue): boolean {
  const children = singleChildren(root, ['Status']);
  const status = children.has('Status') ? text(children.get('Status')) : undefined;
  if (status !== 'ON' && status !== 'OFF') throw malformed();
  return status === 'ON';
}

/** GetObjectLockConfiguration's answer. */
export function renderObjectLockConfiguration(defaultRetention: DefaultRetention | null): string {
  const members: XmlElement[] = [textElement('ObjectLockEnabled', 'Enabled')];
  if (defaultRetention) {
    const period = 'days' in defaultRetention ? textElement('Days', String(defaultRetention.days)) : textElement('Years', String(defaultRetention.years));
    members.push(element('Rule', [element('DefaultRetention', [textElement('Mode', defaultRetention.mode), period])]));
  }
  return renderXml(element('ObjectLockConfiguration', members, { xmlns: S3_XML_NAMESPACE }));
}

/** GetObjectRetention's answer. */
export function renderRetention(retention: ObjectRetention): string {
  return renderXml(
    element('Retention', [textElement('Mode', retention.mode), textElement('RetainUntilDate', retention.retainUntil)], { xmlns: S3_XML_NAMESPACE }),
  );
}

/** GetObjectLegalHold's answer. */
export function renderLegalHold(on: boolean): string {
  return renderXml(element('LegalHold', [textElement('Status', on ? 'ON' : 'OFF')], { xmlns: S3_XML_NAMESPACE }));
}
