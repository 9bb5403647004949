import { S3Error } from '../../errors/s3.error.js';
import { LIFECYCLE_CONFIGURATION_DOCUMENT, renderLifecycleConfiguration } from './lifecycle-configuration.xml.js';

const parse = (xml: string) => LIFECYCLE_CONFIGURATION_DOCUMENT.parse(xml);
const codeOf = (xml: string): string => {
  try {
    parse(xml);
  } catch (error) {
    if (error instanceof S3Error) return error.code;
    throw error;
  }
  return 'parsed';
};
const wrap = (rules: string) => `<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${rules}</LifecycleConfiguration>`;

describe('LifecycleConfiguration XML', () => {
  it('reads each filter form, the legacy Prefix, and every action', () => {
    const rules = parse(
      wrap(`
      <Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule>
      <Rule><ID>and</ID><Filter><And><Prefix>p/</Prefix><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>1000</ObjectSizeLessThan></And></Filter>
        <Status>Disabled</Status><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration></Rule>
      <Rule><Prefix></Prefix><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>
        <NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>
        <AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>
      <Rule><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>
      <Rule><Filter><Tag><Key>t</Key><Value></Value></Tag></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>`),
    );
    expect(rules).toEqual([
      { id: 'logs', status: 'Enabled', filter: { prefix: 'logs/' }, expiration: { days: 30 } },
      {
        id: 'and',
        status: 'Disabled',
        filter: { prefix: 'p/', tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }], objectSizeGreaterThan: 10, objectSizeLessThan: 1000 },
        expiration: { date: '2030-01-01T00:00:00.000Z' },
      },
      {
        status: 'Enabled',
        filter: { prefix: '' },
        legacyPrefix: true,
        expiration: { expiredObjectDeleteMarker: true },
        noncurrentVersionExpiration: { noncurrentDays: 5, newerNoncurrentVersions: 2 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
      { status: 'Enabled', filter: {}, expiration: { days: 1 } },
      { status: 'Enabled', filter: { tags: [{ key: 't', value: '' }] }, expiration: { days: 1 } },
    ]);
  });

  it('answers MalformedXML for what is not in the schema, and NotImplemented for transitions', () => {
    const expire = '<Expiration><Days>1</Days></Expiration>';
    expect(codeOf(wrap(''))).toBe('MalformedXML');
    expect(codeOf(wrap(`<Rule><Status>Enabled</Status>${expire}</Rule>`))).toBe('MalformedXML');
    expect(codeOf(wrap(`<Rule><Filter/><Status>On</Status>${expire}</Rule>`))).toBe('MalformedXML');
    expect(codeOf(wrap(`<Rule><Filter><Prefix>a</Prefix><Prefix>b</Prefix></Filter><Status>Enabled</Status>${expire}</Rule>`))).toBe('MalformedXML');
    expect(codeOf(wrap(`<Rule><Filter><Prefix>a</Prefix><ObjectSizeLessThan>3</ObjectSizeLessThan></Filter><Status>Enabled</Status>${expire}</Rule>`))).toBe('MalformedXML');
    expect(codeOf(wrap(`<Rule><Filter/><Prefix/><Status>Enabled</Status>${expire}</Rule>`))).toBe('MalformedXML');
    expect(codeOf(wrap(`<Rule><Filter/><Status>Enabled</Status><Expiration><Days>x</Days></Expiration></Rule>`))).toBe('MalformedXML');
    expect(codeOf(wrap(`<Rule><Filter/><Status>Enabled</Status><Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition></Rule>`))).toBe('NotImplemented');
    expect(codeOf('<Other/>')).toBe('MalformedXML');
    // Text the read model cannot store never reaches the decider (ADR 0013).
    expect(codeOf(wrap(`<Rule><ID>a&#0;</ID><Filter/><Status>Enabled</Status>${expire}</Rule>`))).toBe('MalformedXML');
    expect(codeOf(wrap(`<Rule><ID>a&#xD800;</ID><Filter/><Status>Enabled</Status>${expire}</Rule>`))).toBe('MalformedXML');
  });

  it('renders what it reads', () => {
    const configuration = {
      rules: [
        { id: 'one', status: 'Enabled' as const, filter: { prefix: 'p/', tags: [{ key: 'a', value: '1' }] }, expiration: { days: 3 } },
        { id: 'two', status: 'Enabled' as const, filter: {}, noncurrentVersionExpiration: { noncurrentDays: 2 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
      ],
    };
    expect(parse(renderLifecycleConfiguration(configuration))).toEqual(configuration.rules);
  });

  it('renders a rule sent with the legacy rule-level Prefix in that form, as S3 returns it, and one sent with a Filter with its Filter', () => {
    const configuration = {
      rules: [
        { id: 'legacy', status: 'Enabled' as const, filter: { prefix: 'test1/' }, legacyPrefix: true as const, expiration: { days: 31 } },
        { id: 'filtered', status: 'Enabled' as const, filter: { prefix: 'test1/' }, expiration: { days: 31 } },
      ],
    };
    const xml = renderLifecycleConfiguration(configuration);
    expect(xml).toContain('<ID>legacy</ID><Prefix>test1/</Prefix><Status>Enabled</Status>');
    expect(xml).toContain('<ID>filtered</ID><Filter><Prefix>test1/</Prefix></Filter><Status>Enabled</Status>');
    expect(parse(xml)).toEqual(configuration.rules);
  });
});
