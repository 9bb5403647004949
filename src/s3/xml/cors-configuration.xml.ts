import type { BucketCorsConfiguration, CorsRule } from '../../bucket-stream/cors-configuration.js';
import { childElements, malformed, readSingleText, type XmlValue } from './hardened-xml.js';
import { xmlDocumentType } from './xml-body.js';
import { S3_XML_NAMESPACE } from './s3-xml.renderers.js';
import { element, renderXml, textElement, type XmlElement } from './xml.writer.js';

/** S3 takes a CORS configuration of up to 64 KB. */
export const MAX_CORS_CONFIGURATION_BYTES = 64 * 1024;

const LISTS = {
  AllowedMethod: 'allowedMethods',
  AllowedOrigin: 'allowedOrigins',
  AllowedHeader: 'allowedHeaders',
  ExposeHeader: 'exposeHeaders',
} as const;

/**
 * The body of PutBucketCors: `<CORSConfiguration><CORSRule><ID/>?<AllowedMethod/>+
 * <AllowedOrigin/>+<AllowedHeader/>*<ExposeHeader/>*<MaxAgeSeconds/>?</CORSRule>+
 * </CORSConfiguration>`. Structure only (what S3 calls MalformedXML, also a rule without an
 * origin or a method); the values are checked by assertValidCorsConfiguration.
 */
/** Read from the request as it arrives (`CORS_CONFIGURATION_DOCUMENT.read`), or parsed from memory. */
export const CORS_CONFIGURATION_DOCUMENT = xmlDocumentType('CORSConfiguration', MAX_CORS_CONFIGURATION_BYTES, readCorsConfiguration);

export function parseCorsConfiguration(xml: string): BucketCorsConfiguration {
  return CORS_CONFIGURATION_DOCUMENT.parse(xml);
}

function readCorsConfiguration(root: XmlValue): BucketCorsConfiguration {
  const rules: CorsRule[] = [];
  for (const [name, occurrences] of childElements(root, true)) {
    if (name !== 'CORSRule') throw malformed();
    rules.push(...occurrences.map(readRule));
  }
  if (rules.length === 0) throw malformed();
  return { rules };
}

function readRule(value: unknown): CorsRule {
  const rule: CorsRule = { allowedMethods: [], allowedOrigins: [], allowedHeaders: [], exposeHeaders: [] };
  let id: string | undefined;
  let maxAge: string | undefined;
  for (const [name, occurrences] of childElements(value, true)) {
    if (name in LISTS) {
      rule[LISTS[name as keyof typeof LISTS]].push(...occurrences.map((o) => readSingleText([o])));
    } else if (name === 'ID' && id === undefined) id = readSingleText(occurrences);
    else if (name === 'MaxAgeSeconds' && maxAge === undefined) maxAge = readSingleText(occurrences);
    else throw malformed();
  }
  if (rule.allowedMethods.length === 0 || rule.allowedOrigins.length === 0) throw malformed();
  if (maxAge !== undefined) {
    // An xsd:int in S3's schema.
    if (!/^\s*-?\d{1,10}\s*$/.test(maxAge) || Math.abs(Number(maxAge)) > 2 ** 31 - 1) throw malformed();
    rule.maxAgeSeconds = Number(maxAge);
  }
  return { ...(id !== undefined ? { id } : {}), ...rule };
}

/** GetBucketCors's answer. */
export function renderCorsConfiguration(configuration: BucketCorsConfiguration): string {
  return renderXml(element('CORSConfiguration', configuration.rules.map(ruleElement), { xmlns: S3_XML_NAMESPACE }));
}

function ruleElement(rule: CorsRule): XmlElement {
  return element('CORSRule', [
    ...(rule.id !== undefined ? [textElement('ID', rule.id)] : []),
    ...rule.allowedHeaders.map((h) => textElement('AllowedHeader', h)),
    ...rule.allowedMethods.map((m) => textElement('AllowedMethod', m)),
    ...rule.allowedOrigins.map((o) => textElement('AllowedOrigin', o)),
    ...rule.exposeHeaders.map((h) => textElement('ExposeHeader', h)),
    ...(rule.maxAgeSeconds !== undefined ? [textElement('MaxAgeSeconds', rule.maxAgeSeconds)] : []),
  ]);
}
