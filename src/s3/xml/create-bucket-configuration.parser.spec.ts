import { S3Error } from '../../errors/s3.error.js';
import type { S3ErrorCode } from '../../errors/s3-error-catalogue.js';
import { parseCreateBucketConfiguration } from './s3-xml.renderers.js';

function codeOf(xml: string): S3ErrorCode {
  try {
    parseCreateBucketConfiguration(xml);
  } catch (error) {
    if (error instanceof S3Error) return error.code;
    throw error;
  }
  throw new Error('parsed, expected an S3Error');
}

describe('parseCreateBucketConfiguration', () => {
  it.each([
    ['', {}],
    ['   \r\n\t', {}],
    ['\uFEFF', {}],
    // The AWS documentation example.
    [
      '<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>Europe</LocationConstraint></CreateBucketConfiguration>',
      { locationConstraint: 'Europe' },
    ],
    // What the AWS SDKs send, declaration and indentation included.
    [
      '<?xml version="1.0" encoding="UTF-8"?>\n<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\n  <LocationConstraint>eu-west-1</LocationConstraint>\n</CreateBucketConfiguration>\n',
      { locationConstraint: 'eu-west-1' },
    ],
    ['\uFEFF<CreateBucketConfiguration><LocationConstraint>us-west-2</LocationConstraint></CreateBucketConfiguration>', { locationConstraint: 'us-west-2' }],
    ['<CreateBucketConfiguration/>', {}],
    ['<CreateBucketConfiguration>\n</CreateBucketConfiguration>', {}],
    ['<CreateBucketConfiguration><LocationConstraint/></CreateBucketConfiguration>', { locationConstraint: '' }],
    ['<CreateBucketConfiguration><LocationConstraint> eu-west-1 </LocationConstraint></CreateBucketConfiguration>', { locationConstraint: ' eu-west-1 ' }],
    ['<s3:CreateBucketConfiguration xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><s3:LocationConstraint>eu</s3:LocationConstraint></s3:CreateBucketConfiguration>', { locationConstraint: 'eu' }],
    ['<CreateBucketConfiguration><!-- a & b --><LocationConstraint><![CDATA[eu-]]>west-1</LocationConstraint></CreateBucketConfiguration>', { locationConstraint: 'eu-west-1' }],
    ['<CreateBucketConfiguration><LocationConstraint>a&amp;b&#65;&#x42;&lt;</LocationConstraint></CreateBucketConfiguration>', { locationConstraint: 'a&bAB<' }],
  ])('reads %j', (xml, expected) => {
    expect(parseCreateBucketConfiguration(xml)).toEqual(expected);
  });

  it.each([
    ['not XML', 'hello'],
    ['unclosed', '<CreateBucketConfiguration><LocationConstraint>eu</LocationConstraint>'],
    ['mismatched tags', '<CreateBucketConfiguration></LocationConstraint>'],
    ['wrong root', '<CreateBucketConfigurationX><LocationConstraint>eu</LocationConstraint></CreateBucketConfigurationX>'],
    ['two roots', '<CreateBucketConfiguration/><CreateBucketConfiguration/>'],
    ['text at root', '<CreateBucketConfiguration>eu-west-1</CreateBucketConfiguration>'],
    ['mixed text', '<CreateBucketConfiguration>x<LocationConstraint>eu</LocationConstraint></CreateBucketConfiguration>'],
    ['repeated LocationConstraint', '<CreateBucketConfiguration><LocationConstraint>a</LocationConstraint><LocationConstraint>b</LocationConstraint></CreateBucketConfiguration>'],
    ['nested LocationConstraint', '<CreateBucketConfiguration><LocationConstraint><x>eu</x></LocationConstraint></CreateBucketConfiguration>'],
    ['unknown element', '<CreateBucketConfiguration><Region>eu</Region></CreateBucketConfiguration>'],
    ['DOCTYPE', '<!DOCTYPE CreateBucketConfiguration><CreateBucketConfiguration/>'],
    [
      'entity expansion',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><CreateBucketConfiguration><LocationConstraint>&lol2;</LocationConstraint></CreateBucketConfiguration>',
    ],
    [
      'external entity (XXE)',
      '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><CreateBucketConfiguration><LocationConstraint>&xxe;</LocationConstraint></CreateBucketConfiguration>',
    ],
    ['undefined entity', '<CreateBucketConfiguration><LocationConstraint>&xxe;</LocationConstraint></CreateBucketConfiguration>'],
    ['bare ampersand', '<CreateBucketConfiguration><LocationConstraint>a & b</LocationConstraint></CreateBucketConfiguration>'],
    ['reference to NUL', '<CreateBucketConfiguration><LocationConstraint>&#0;</LocationConstraint></CreateBucketConfiguration>'],
    ['reference beyond Unicode', '<CreateBucketConfiguration><LocationConstraint>&#x110000;</LocationConstraint></CreateBucketConfiguration>'],
    ['deep nesting', `<CreateBucketConfiguration>${'<a>'.repeat(100)}${'</a>'.repeat(100)}</CreateBucketConfiguration>`],
    ['larger than 1 MiB', `<CreateBucketConfiguration><LocationConstraint>eu</LocationConstraint>${' '.repeat(1024 * 1024)}</CreateBucketConfiguration>`],
    ['larger than 1 MiB of whitespace only', ' '.repeat(1024 * 1024 + 1)],
  ])('rejects %s with MalformedXML', (_why, xml) => {
    expect(codeOf(xml)).toBe('MalformedXML');
  });

  it.each(['Location', 'Bucket', 'Tags'])('answers NotImplemented for the %s member (directory buckets, bucket tags)', (member) => {
    expect(codeOf(`<CreateBucketConfiguration><${member}><Type>x</Type></${member}></CreateBucketConfiguration>`)).toBe('NotImplemented');
  });
});
