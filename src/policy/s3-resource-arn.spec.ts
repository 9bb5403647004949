import { s3ResourceArn } from './s3-resource-arn.js';

describe('s3ResourceArn', () => {
  it('names objects, buckets and the service', () => {
    expect(s3ResourceArn('examplebucket', 'a/b c.txt')).toBe('arn:aws:s3:::examplebucket/a/b c.txt');
    expect(s3ResourceArn('examplebucket', '')).toBe('arn:aws:s3:::examplebucket/');
    expect(s3ResourceArn('examplebucket')).toBe('arn:aws:s3:::examplebucket');
    expect(s3ResourceArn()).toBe('arn:aws:s3:::*');
  });
  it('refuses a key without a bucket', () => expect(() => s3ResourceArn(undefined, 'k')).toThrow());
});
