import { S3Error } from './s3.error.js';
import { S3_ERROR_CATALOGUE } from './s3-error-catalogue.js';

describe('S3Error', () => {
  it('takes its status and default message from the catalogue', () => {
    const error = new S3Error('NoSuchBucket', { resource: '/missing' });
    expect(error.status).toBe(404);
    expect(error.message).toBe(S3_ERROR_CATALOGUE.NoSuchBucket.message);
    expect(error.resource).toBe('/missing');
  });

  it('maps every catalogued code to a 4xx/5xx status', () => {
    for (const { status } of Object.values(S3_ERROR_CATALOGUE)) {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });
});
