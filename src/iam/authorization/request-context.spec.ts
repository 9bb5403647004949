import { anonymousPrincipal, rootPrincipal, userPrincipal } from '../../event-log/principal.js';
import { globalConditionKeys } from './request-context.js';

const facts = { remoteAddress: '::ffff:10.0.0.7', secure: false, now: new Date('2026-11-27T10:00:00.000Z') };
const teamB = { accountId: '111122223333', name: 'team-b' };

describe('globalConditionKeys', () => {
  it("names the principal's own account: aws:PrincipalAccount, and a root's aws:userid", () => {
    expect(globalConditionKeys(rootPrincipal('AKIAROOTOFTEAMB00001', teamB), facts)).toMatchObject({
      'aws:principalarn': 'arn:aws:iam::111122223333:root',
      'aws:principalaccount': '111122223333',
      'aws:principaltype': 'Account',
      'aws:userid': '111122223333',
    });
    expect(globalConditionKeys(rootPrincipal('SEDIMENTROOTKEY0001'), facts)).toMatchObject({ 'aws:principalaccount': '000000000000', 'aws:userid': '000000000000' });
  });

  it("gives a user its account and its own unique id", () => {
    const carol = userPrincipal('AKIACAROL0000000001', { userName: 'carol', userId: 'AIDACAROL', arn: 'arn:aws:iam::111122223333:user/carol' }, teamB);
    expect(globalConditionKeys(carol, facts)).toMatchObject({
      'aws:principalaccount': '111122223333',
      'aws:principaltype': 'User',
      'aws:userid': 'AIDACAROL',
      'aws:username': 'carol',
      'aws:sourceip': '10.0.0.7',
    });
  });

  it('leaves the account out for anonymous callers', () => {
    expect(globalConditionKeys(anonymousPrincipal(), facts)).not.toHaveProperty('aws:principalaccount');
  });
});
