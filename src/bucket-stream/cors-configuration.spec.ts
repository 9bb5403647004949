import { S3Error } from '../errors/s3.error.js';
import {
  assertValidCorsConfiguration,
  corsResponseHeaders,
  matchCorsRule,
  requestedHeaders,
  wildcardMatches,
  type BucketCorsConfiguration,
  type CorsRule,
} from './cors-configuration.js';

const rule = (overrides: Partial<CorsRule>): CorsRule => ({
  allowedMethods: ['GET'],
  allowedOrigins: ['*'],
  allowedHeaders: [],
  exposeHeaders: [],
  ...overrides,
});

function rejection(configuration: BucketCorsConfiguration): { code: string; message: string } {
  try {
    assertValidCorsConfiguration(configuration);
  } catch (error) {
    if (error instanceof S3Error) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an S3Error');
}

describe('CORS configuration rules', () => {
  it('accepts every method S3 allows, one wildcard per origin and header, and 100 rules', () => {
    expect(() =>
      assertValidCorsConfiguration({
        rules: [
          rule({ allowedMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'], allowedOrigins: ['https://*.example.com', ''], allowedHeaders: ['x-amz-*'] }),
          ...Array.from({ length: 99 }, () => rule({})),
        ],
      }),
    ).not.toThrow();
  });

  it.each<[string, BucketCorsConfiguration, string, string]>([
    ['an unsupported method', { rules: [rule({ allowedMethods: ['GET', 'MYMETHOD'] })] }, 'InvalidRequest', 'Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD'],
    ['a lower-case method', { rules: [rule({ allowedMethods: ['get'] })] }, 'InvalidRequest', 'Found unsupported HTTP method in CORS config. Unsupported method is get'],
    ['an origin with two wildcards', { rules: [rule({ allowedOrigins: ['*example*.com'] })] }, 'InvalidRequest', 'AllowedOrigin "*example*.com" can not have more than one wildcard.'],
    ['a header with two wildcards', { rules: [rule({ allowedHeaders: ['x-*-*'] })] }, 'InvalidRequest', 'AllowedHeader "x-*-*" can not have more than one wildcard.'],
    ['101 rules', { rules: Array.from({ length: 101 }, () => rule({})) }, 'InvalidRequest', 'The number of CORS rules should not exceed allowed limit of 100 rules.'],
    ['no rules', { rules: [] }, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema'],
  ])('refuses %s', (_label, configuration, code, message) => {
    expect(rejection(configuration)).toEqual({ code, message });
  });
});

describe('CORS rule matching', () => {
  it('matches a pattern with one wildcard anywhere, and nothing but the text without one', () => {
    expect(wildcardMatches('*', 'https://anything')).toBe(true);
    expect(wildcardMatches('http://*.origin.com', 'http://test.origin.com')).toBe(true);
    expect(wildcardMatches('http://*.origin.com', 'http://origin.com')).toBe(false);
    expect(wildcardMatches('https://*', 'http://a')).toBe(false);
    expect(wildcardMatches('x-amz-*', 'x-amz-date')).toBe(true);
    expect(wildcardMatches('https://a.com', 'https://a.com:443')).toBe(false);
    expect(wildcardMatches('ab*ba', 'aba')).toBe(false);
  });

  const configuration: BucketCorsConfiguration = {
    rules: [
      rule({ id: 'put', allowedMethods: ['PUT'], allowedOrigins: ['https://app.example.com'], allowedHeaders: ['content-type', 'x-amz-*'] }),
      rule({ id: 'read', allowedMethods: ['GET', 'HEAD'], allowedOrigins: ['*'] }),
      rule({ id: 'any-get', allowedMethods: ['GET'], allowedOrigins: ['*'], allowedHeaders: ['*'] }),
    ],
  };
  const match = (origin: string, method: string, headers: string[] = []) => matchCorsRule(configuration, { origin, method, headers })?.id;

  it('picks the first rule that allows origin, method and every requested header', () => {
    expect(match('https://app.example.com', 'PUT', ['content-type', 'x-amz-date'])).toBe('put');
    expect(match('https://app.example.com', 'GET')).toBe('read');
    expect(match('https://other.example.com', 'GET', ['range'])).toBe('any-get');
  });

  it('matches requested headers case-insensitively against the rule', () => {
    const mixed: BucketCorsConfiguration = { rules: [rule({ allowedHeaders: ['X-AMZ-Server-Side-Encryption'] })] };
    expect(matchCorsRule(mixed, { origin: 'o', method: 'GET', headers: requestedHeaders('x-amz-server-side-encryption') })).toBeDefined();
  });

  it('finds nothing for another origin, method or header, or without a configuration', () => {
    expect(match('https://evil.example.com', 'PUT')).toBeUndefined();
    expect(match('https://app.example.com', 'DELETE')).toBeUndefined();
    expect(match('https://app.example.com', 'PUT', ['authorization'])).toBeUndefined();
    expect(matchCorsRule(undefined, { origin: 'o', method: 'GET', headers: [] })).toBeUndefined();
  });

  it('reads Access-Control-Request-Headers as lower-cased names', () => {
    expect(requestedHeaders(' Content-Type ,X-Amz-Date,, ')).toEqual(['content-type', 'x-amz-date']);
    expect(requestedHeaders(undefined)).toEqual([]);
  });
});

describe('CORS response headers', () => {
  const vary = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

  it('echoes a specific origin and allows credentials, as S3 does', () => {
    const r = rule({ allowedMethods: ['GET', 'PUT'], allowedOrigins: ['https://localhost:4200'], maxAgeSeconds: 3000 });
    expect(corsResponseHeaders(r, { origin: 'https://localhost:4200', method: 'GET', headers: [] }, false)).toEqual({
      'Access-Control-Allow-Origin': 'https://localhost:4200',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Methods': 'GET, PUT',
      'Access-Control-Max-Age': '3000',
      Vary: vary,
    });
  });

  it('answers * without credentials when only a bare * allows the origin', () => {
    const r = rule({ exposeHeaders: ['x-amz-request-id', 'ETag'] });
    expect(corsResponseHeaders(r, { origin: 'https://random.example', method: 'GET', headers: [] }, false)).toEqual({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'GET',
      'Access-Control-Expose-Headers': 'x-amz-request-id, ETag',
      Vary: vary,
    });
  });

  it('names the requested headers it allows on a preflight only', () => {
    const r = rule({ allowedOrigins: ['https://*.example.com'], allowedHeaders: ['*'] });
    const request = { origin: 'https://a.example.com', method: 'GET', headers: ['x-amz-date', 'range'] };
    expect(corsResponseHeaders(r, request, true)['Access-Control-Allow-Headers']).toBe('x-amz-date, range');
    expect(corsResponseHeaders(r, request, false)['Access-Control-Allow-Headers']).toBeUndefined();
  });
});
