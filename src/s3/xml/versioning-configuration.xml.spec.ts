import { S3Error } from '../../errors/s3.error.js';
import { parseVersioningConfiguration, renderVersioningConfiguration } from './versioning-configuration.xml.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return error instanceof S3Error ? error.code : String(error);
  }
};
const doc = (inner: string) => `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner}</VersioningConfiguration>`;

describe('VersioningConfiguration', () => {
  it('reads Enabled and Suspended, with or without MfaDelete Disabled', () => {
    expect(parseVersioningConfiguration(doc('<Status>Enabled</Status>'))).toBe('Enabled');
    expect(parseVersioningConfiguration(doc('<Status>Suspended</Status><MfaDelete>Disabled</MfaDelete>'))).toBe('Suspended');
  });

  it.each([
    ['another status', doc('<Status>Disabled</Status>')],
    ['no status', doc('<MfaDelete>Disabled</MfaDelete>')],
    ['an unknown member', doc('<Status>Enabled</Status><Other/>')],
    ['another root', '<Versioning><Status>Enabled</Status></Versioning>'],
    ['an empty body', ''],
    ['a DTD', `<!DOCTYPE x [<!ENTITY e "Enabled">]>${doc('<Status>&e;</Status>')}`],
  ])('refuses %s as MalformedXML', (_name, xml) => expect(codeOf(() => parseVersioningConfiguration(xml))).toBe('MalformedXML'));

  it('does not pretend to support MFA delete', () =>
    expect(codeOf(() => parseVersioningConfiguration(doc('<Status>Enabled</Status><MfaDelete>Enabled</MfaDelete>')))).toBe('NotImplemented'));

  it('renders an empty configuration for a bucket that never had versioning', () => {
    expect(renderVersioningConfiguration(undefined)).toContain('<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></VersioningConfiguration>');
    expect(renderVersioningConfiguration('Suspended')).toContain('<Status>Suspended</Status>');
  });
});
