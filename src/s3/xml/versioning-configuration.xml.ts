import type { VersioningStatus } from '../../bucket-stream/bucket.events.js';
import { S3Error } from '../../errors/s3.error.js';
import { S3_XML_NAMESPACE } from './s3-xml.renderers.js';
import { assertOnlyWhitespace, isRecord, malformed, readSingleText, type XmlValue } from './hardened-xml.js';
import { xmlDocumentType } from './xml-body.js';
import { element, renderXml, textElement } from './xml.writer.js';

/** A VersioningConfiguration is two short elements; this bounds what an abusive body costs. */
export const MAX_VERSIONING_CONFIGURATION_BYTES = 64 * 1024;

/**
 * The body of PutBucketVersioning: `<VersioningConfiguration><Status>Enabled|Suspended</Status>
 * [<MfaDelete>Disabled</MfaDelete>]</VersioningConfiguration>`. Any other status or member is
 * MalformedXML; MFA delete (which needs an MFA device) is not something Sediment has.
 */
/** Read from the request as it arrives (`VERSIONING_CONFIGURATION_DOCUMENT.read`), or parsed from memory. */
export const VERSIONING_CONFIGURATION_DOCUMENT = xmlDocumentType('VersioningConfiguration', MAX_VERSIONING_CONFIGURATION_BYTES, readVersioningConfiguration);

export function parseVersioningConfiguration(xml: string): VersioningStatus {
  return VERSIONING_CONFIGURATION_DOCUMENT.parse(xml);
}

function readVersioningConfiguration(root: XmlValue): VersioningStatus {
  if (!isRecord(root)) throw malformed();
  let status: VersioningStatus | undefined;
  for (const [name, value] of Object.entries(root)) {
    if (name === '#text') assertOnlyWhitespace(value);
    else if (name.startsWith('@_')) continue; // xmlns
    else if (name === 'Status') {
      const text = readSingleText(value);
      if (text !== 'Enabled' && text !== 'Suspended') throw malformed();
      status = text;
    } else if (name === 'MfaDelete') {
      const text = readSingleText(value);
      if (text === 'Enabled') throw new S3Error('NotImplemented', { message: 'MFA delete is not supported' });
      if (text !== 'Disabled') throw malformed();
    } else throw malformed();
  }
  if (status === undefined) throw malformed();
  return status;
}

/** GetBucketVersioning: an empty configuration for a bucket that never had versioning, as S3 answers. */
export function renderVersioningConfiguration(status: VersioningStatus | undefined): string {
  return renderXml(element('VersioningConfiguration', status ? [textElement('Status', status)] : [], { xmlns: S3_XML_NAMESPACE }));
}
