import {
  OWNERSHIP_CONTROLS_DOCUMENT,
  PUBLIC_ACCESS_BLOCK_DOCUMENT,
  renderOwnershipControls,
  renderPublicAccessBlock,
} from './bucket-access-controls.xml.js';

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const pab = (inner: string) => `<PublicAccessBlockConfiguration ${NS}>${inner}</PublicAccessBlockConfiguration>`;
const ownership = (inner: string) => `<OwnershipControls ${NS}>${inner}</OwnershipControls>`;

describe('PublicAccessBlockConfiguration', () => {
  it('reads the settings given, an absent one as false, and writes all four back', () => {
    const settings = PUBLIC_ACCESS_BLOCK_DOCUMENT.parse(pab('<BlockPublicAcls>true</BlockPublicAcls><RestrictPublicBuckets>TRUE</RestrictPublicBuckets>'));
    expect(settings).toEqual({ blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: true });
    expect(renderPublicAccessBlock(settings)).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<PublicAccessBlockConfiguration ${NS}><BlockPublicAcls>true</BlockPublicAcls>` +
        '<IgnorePublicAcls>false</IgnorePublicAcls><BlockPublicPolicy>false</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>',
    );
    expect(PUBLIC_ACCESS_BLOCK_DOCUMENT.parse(`<PublicAccessBlockConfiguration ${NS}/>`)).toEqual({
      blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false,
    });
  });

  it.each([
    ['a value that is not a boolean', pab('<BlockPublicAcls>yes</BlockPublicAcls>')],
    ['a setting twice', pab('<BlockPublicAcls>true</BlockPublicAcls><BlockPublicAcls>false</BlockPublicAcls>')],
    ['an unknown element', pab('<BlockEverything>true</BlockEverything>')],
    ['text beside the elements', pab('oops<BlockPublicAcls>true</BlockPublicAcls>')],
    ['another root', '<Settings><BlockPublicAcls>true</BlockPublicAcls></Settings>'],
  ])('refuses %s with MalformedXML', (_label, xml) => {
    expect(() => PUBLIC_ACCESS_BLOCK_DOCUMENT.parse(xml)).toThrow(expect.objectContaining({ code: 'MalformedXML' }));
  });
});

describe('OwnershipControls', () => {
  it.each(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'])('reads and writes %s', (value) => {
    expect(OWNERSHIP_CONTROLS_DOCUMENT.parse(ownership(`<Rule><ObjectOwnership>${value}</ObjectOwnership></Rule>`))).toBe(value);
    expect(renderOwnershipControls(value as 'ObjectWriter')).toContain(`<Rule><ObjectOwnership>${value}</ObjectOwnership></Rule>`);
  });

  it.each([
    ['an unknown ownership', ownership('<Rule><ObjectOwnership>Everyone</ObjectOwnership></Rule>')],
    ['two rules', ownership('<Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule>')],
    ['no rule', ownership('')],
    ['a rule without ObjectOwnership', ownership('<Rule></Rule>')],
    ['a rule with something else', ownership('<Rule><ObjectOwnership>ObjectWriter</ObjectOwnership><Extra>1</Extra></Rule>')],
  ])('refuses %s with MalformedXML', (_label, xml) => {
    expect(() => OWNERSHIP_CONTROLS_DOCUMENT.parse(xml)).toThrow(expect.objectContaining({ code: 'MalformedXML' }));
  });
});
