import { cannedAclFromGrants } from '../../identity-stream/canned-acl.js';
import { S3Error } from '../../errors/s3.error.js';
import { parseAccessControlPolicy } from './access-control-policy.parser.js';
import { renderAccessControlPolicy } from './s3-xml.renderers.js';

const OWNER_ID = '852b113e7a2f25102679df27bb0ae12b3f85be6f290b936c4393484be31bebcc';
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

const ownerGrant = `<Grant><Grantee ${XSI} xsi:type="CanonicalUser"><ID>${OWNER_ID}</ID><DisplayName>owner</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>`;
const groupGrant = (permission: string, uri = ALL_USERS) =>
  `<Grant><Grantee ${XSI} xsi:type="Group"><URI>${uri}</URI></Grantee><Permission>${permission}</Permission></Grant>`;
const policy = (acl: string, owner = `<Owner><ID>${OWNER_ID}</ID></Owner>`) =>
  `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${owner}<AccessControlList>${acl}</AccessControlList></AccessControlPolicy>`;

const codeOf = (xml: string): string => {
  try {
    parseAccessControlPolicy(xml);
  } catch (error) {
    if (error instanceof S3Error) return error.code;
    throw error;
  }
  return 'parsed';
};

describe('parseAccessControlPolicy', () => {
  it('reads the owner and the grants of the AWS example, whitespace and all', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Owner>
    <ID>${OWNER_ID}</ID>
    <DisplayName>owner&amp;co</DisplayName>
  </Owner>
  <AccessControlList>
    ${ownerGrant}
    <Grant>
      <Grantee ${XSI} xsi:type="CanonicalUser"><ID> user1 </ID></Grantee>
      <Permission>WRITE_ACP</Permission>
    </Grant>
    ${groupGrant('READ')}
  </AccessControlList>
</AccessControlPolicy>`;
    expect(parseAccessControlPolicy(xml)).toEqual({
      owner: { id: OWNER_ID, displayName: 'owner&co' },
      grants: [
        { grantee: { type: 'CanonicalUser', id: OWNER_ID, displayName: 'owner' }, permission: 'FULL_CONTROL' },
        { grantee: { type: 'CanonicalUser', id: 'user1', displayName: '' }, permission: 'WRITE_ACP' },
        { grantee: { type: 'Group', uri: ALL_USERS }, permission: 'READ' },
      ],
    });
  });

  it('reads what the AWS SDK sends (DisplayName before ID) and what GetBucketAcl answers', () => {
    const sdk = `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><AccessControlList><Grant><Grantee ${XSI} xsi:type="CanonicalUser"><DisplayName>o</DisplayName><ID>${OWNER_ID}</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList><Owner><DisplayName>o</DisplayName><ID>${OWNER_ID}</ID></Owner></AccessControlPolicy>`;
    expect(cannedAclFromGrants(parseAccessControlPolicy(sdk).grants, OWNER_ID)).toBe('private');
    const answered = renderAccessControlPolicy({ id: OWNER_ID, displayName: 'o' }, [
      { grantee: { type: 'CanonicalUser', id: OWNER_ID, displayName: 'o' }, permission: 'FULL_CONTROL' },
      { grantee: { type: 'Group', uri: ALL_USERS }, permission: 'READ' },
    ]);
    expect(cannedAclFromGrants(parseAccessControlPolicy(answered).grants, OWNER_ID)).toBe('public-read');
  });

  it('accepts a prefixed root and an empty or missing grant list', () => {
    const prefixed = `<s3:AccessControlPolicy xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><s3:Owner><s3:ID>o</s3:ID></s3:Owner></s3:AccessControlPolicy>`;
    expect(parseAccessControlPolicy(prefixed)).toEqual({ owner: { id: 'o' }, grants: [] });
    expect(parseAccessControlPolicy(policy('')).grants).toEqual([]);
    expect(parseAccessControlPolicy(`<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList/></AccessControlPolicy>`).grants).toEqual([]);
  });

  it('accepts exactly 100 grants and refuses 101', () => {
    expect(parseAccessControlPolicy(policy(groupGrant('READ').repeat(100))).grants).toHaveLength(100);
    expect(codeOf(policy(groupGrant('READ').repeat(101)))).toBe('MalformedACLError');
  });

  it.each([
    ['an empty body', ''],
    ['not XML', 'AccessControlPolicy'],
    ['another root', '<Delete><Object><Key>k</Key></Object></Delete>'],
    ['two roots', `${policy(ownerGrant)}${policy(ownerGrant)}`],
    ['no owner', `<AccessControlPolicy><AccessControlList>${ownerGrant}</AccessControlList></AccessControlPolicy>`],
    ['an owner without an ID', policy(ownerGrant, '<Owner><DisplayName>o</DisplayName></Owner>')],
    ['an empty owner ID', policy(ownerGrant, '<Owner><ID> </ID></Owner>')],
    ['two owners', policy(ownerGrant, `<Owner><ID>a</ID></Owner><Owner><ID>b</ID></Owner>`)],
    ['two grant lists', `<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList/><AccessControlList/></AccessControlPolicy>`],
    ['an unknown element', policy(`${ownerGrant}<Bogus/>`)],
    ['text in the grant list', policy(`${ownerGrant}text`)],
    ['a grant without a permission', policy(`<Grant><Grantee ${XSI} xsi:type="Group"><URI>${ALL_USERS}</URI></Grantee></Grant>`)],
    ['a grant without a grantee', policy('<Grant><Permission>READ</Permission></Grant>')],
    ['an unknown permission', policy(groupGrant('READ_WRITE'))],
    ['a lower-case permission', policy(groupGrant('read'))],
    ['two permissions in a grant', policy(groupGrant('READ</Permission><Permission>WRITE'))],
    ['a grantee with an ID and a URI', policy(`<Grant><Grantee><ID>a</ID><URI>${ALL_USERS}</URI></Grantee><Permission>READ</Permission></Grant>`)],
    ['a grantee with neither', policy('<Grant><Grantee><DisplayName>a</DisplayName></Grantee><Permission>READ</Permission></Grant>')],
    ['an empty grantee ID', policy('<Grant><Grantee><ID></ID></Grantee><Permission>READ</Permission></Grant>')],
    ['an unknown grantee member', policy('<Grant><Grantee><ID>a</ID><Name>b</Name></Grantee><Permission>READ</Permission></Grant>')],
    ['a DTD', `<!DOCTYPE AccessControlPolicy [<!ENTITY x "o">]>${policy('', '<Owner><ID>&x;</ID></Owner>')}`],
    ['an undefined entity', policy('', '<Owner><ID>&x;</ID></Owner>')],
    ['a character XML cannot hold', policy('', '<Owner><ID>&#0;</ID></Owner>')],
  ])('refuses %s as MalformedACLError', (_name, xml) => {
    expect(codeOf(xml)).toBe('MalformedACLError');
  });

  it('refuses a grant by email address, which no account here has, once the document is valid', () => {
    const byEmail = `<Grant><Grantee ${XSI} xsi:type="AmazonCustomerByEmail"><EmailAddress>a@example.com</EmailAddress></Grantee><Permission>READ</Permission></Grant>`;
    expect(codeOf(policy(`${ownerGrant}${byEmail}`))).toBe('UnresolvableGrantByEmailAddress');
    expect(codeOf(policy(`${byEmail}<Bogus/>`))).toBe('MalformedACLError');
  });

  it('refuses a body over 256 KiB as MaxMessageLengthExceeded', () => {
    expect(codeOf(policy(' '.repeat(256 * 1024)))).toBe('MaxMessageLengthExceeded');
  });
});
