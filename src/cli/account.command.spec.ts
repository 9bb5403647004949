import { accountRequest } from './account.command.js';
import { serviceUrl } from './iam-query.client.js';
import type { SedimentConfig } from '../config/sediment.config.js';

describe('sediment account', () => {
  it('turns each verb into its IAM Query action', () => {
    expect(accountRequest('create', ['team-b'])).toEqual({ params: { Action: 'CreateAccount', AccountName: 'team-b' } });
    expect(accountRequest('list', [])).toEqual({ params: { Action: 'ListAccounts' } });
    expect(accountRequest('delete', ['111122223333'])).toEqual({ params: { Action: 'DeleteAccount', AccountId: '111122223333' } });
  });

  it.each([
    ['create', []],
    ['create', ['a b']],
    ['create', ['x'.repeat(65)]],
    ['create', ['a', 'b']],
    ['list', ['extra']],
    ['delete', ['12345']],
    ['delete', ['11112222333a']],
    ['rename', ['x']],
  ])('refuses %s %j before sending anything', (verb, rest) => {
    expect(accountRequest(verb, rest)).toHaveProperty('error');
  });

  it('asks SEDIMENT_URL, or the configured host and port (a wildcard address over loopback)', () => {
    const config = { SEDIMENT_HOST: '0.0.0.0', SEDIMENT_PORT: 9000 } as SedimentConfig;
    expect(serviceUrl(config, {})).toBe('http://127.0.0.1:9000');
    expect(serviceUrl({ ...config, SEDIMENT_HOST: '::1' }, {})).toBe('http://[::1]:9000');
    expect(serviceUrl(config, { SEDIMENT_URL: 'https://s3.example.test/' })).toBe('https://s3.example.test');
  });
});
