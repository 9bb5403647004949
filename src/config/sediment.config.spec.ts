import { ConfigError, loadConfig } from './sediment.config.js';

const valid = {
  SEDIMENT_ROOT_ACCESS_KEY_ID: 'SEDIMENTROOTKEY0001',
  SEDIMENT_ROOT_SECRET_ACCESS_KEY: 'sediment-root-secret-key-0001',
  SEDIMENT_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe('loadConfig', () => {
  it('applies defaults and parses numbers', () => {
    const config = loadConfig({ ...valid, SEDIMENT_PORT: '9100' });
    expect(config.SEDIMENT_PORT).toBe(9100);
    expect(config.SEDIMENT_TOPIC_PARTITIONS).toBe(12);
    expect(config.KAFKA_BROKERS).toBe('127.0.0.1:9092');
  });

  it('names a missing root credential', () => {
    expect(() => loadConfig({})).toThrow(/SEDIMENT_ROOT_ACCESS_KEY_ID/);
    expect(() => loadConfig({})).toThrow(ConfigError);
  });

  it('names a setting that is not a number', () => {
    expect(() => loadConfig({ ...valid, SEDIMENT_PORT: 'ninety' })).toThrow(/SEDIMENT_PORT/);
  });

  it('requires a 32-byte master key, as base64 or hex', () => {
    const { SEDIMENT_MASTER_KEY: _, ...withoutKey } = valid;
    expect(() => loadConfig(withoutKey)).toThrow(/SEDIMENT_MASTER_KEY/);
    expect(() => loadConfig({ ...valid, SEDIMENT_MASTER_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/SEDIMENT_MASTER_KEY/);
    expect(loadConfig({ ...valid, SEDIMENT_MASTER_KEY: 'ab'.repeat(32) }).SEDIMENT_MASTER_KEY).toBe('ab'.repeat(32));
  });

  it('names a malformed broker list', () => {
    expect(() => loadConfig({ ...valid, KAFKA_BROKERS: 'localhost' })).toThrow(/KAFKA_BROKERS/);
  });

  it('stores blobs in the filesystem by default; gridfs in a database of its own on request; nothing else', () => {
    expect(loadConfig(valid)).toMatchObject({ SEDIMENT_BLOB_STORE: 'filesystem', SEDIMENT_GRIDFS_DATABASE: 'sediment_blobs' });
    expect(loadConfig({ ...valid, SEDIMENT_BLOB_STORE: 'gridfs', SEDIMENT_GRIDFS_DATABASE: 'blobs_1' })).toMatchObject({
      SEDIMENT_BLOB_STORE: 'gridfs',
      SEDIMENT_GRIDFS_DATABASE: 'blobs_1',
    });
    expect(() => loadConfig({ ...valid, SEDIMENT_BLOB_STORE: 's3' })).toThrow(/SEDIMENT_BLOB_STORE must be filesystem or gridfs/);
    expect(() => loadConfig({ ...valid, SEDIMENT_GRIDFS_DATABASE: 'a.b' })).toThrow(/SEDIMENT_GRIDFS_DATABASE/);
    // A live upload's temp file must never look abandoned (untouched for an hour).
    expect(() => loadConfig({ ...valid, SEDIMENT_BODY_IDLE_TIMEOUT_MS: '1800001' })).toThrow(/SEDIMENT_BODY_IDLE_TIMEOUT_MS/);
  });

  it('keeps released blobs for 7 days by default; the grace period is whole hours, 0 or more', () => {
    expect(loadConfig(valid).SEDIMENT_BLOB_GRACE_HOURS).toBe(168);
    expect(loadConfig({ ...valid, SEDIMENT_BLOB_GRACE_HOURS: '0' }).SEDIMENT_BLOB_GRACE_HOURS).toBe(0);
    expect(() => loadConfig({ ...valid, SEDIMENT_BLOB_GRACE_HOURS: '-1' })).toThrow(/SEDIMENT_BLOB_GRACE_HOURS/);
    expect(() => loadConfig({ ...valid, SEDIMENT_BLOB_GRACE_HOURS: '1.5' })).toThrow(/SEDIMENT_BLOB_GRACE_HOURS/);
    expect(loadConfig(valid).SEDIMENT_BLOB_JANITOR_INTERVAL_MS).toBe(300_000);
  });

  it('counts lifecycle days as real days and scans hourly by default; tests may shorten both, within bounds', () => {
    expect(loadConfig(valid).SEDIMENT_LIFECYCLE_DAY_SECONDS).toBe(86_400);
    expect(loadConfig(valid).SEDIMENT_LIFECYCLE_INTERVAL_MS).toBe(3_600_000);
    expect(loadConfig({ ...valid, SEDIMENT_LIFECYCLE_DAY_SECONDS: '2' }).SEDIMENT_LIFECYCLE_DAY_SECONDS).toBe(2);
    for (const bad of ['0', '-1', '1.5', '86401', 'day']) {
      expect(() => loadConfig({ ...valid, SEDIMENT_LIFECYCLE_DAY_SECONDS: bad })).toThrow(/SEDIMENT_LIFECYCLE_DAY_SECONDS/);
    }
    expect(() => loadConfig({ ...valid, SEDIMENT_LIFECYCLE_INTERVAL_MS: '10' })).toThrow(/SEDIMENT_LIFECYCLE_INTERVAL_MS/);
  });

  it('serves path-style only by default; SEDIMENT_DOMAIN must be a bare host name', () => {
    expect(loadConfig(valid).SEDIMENT_DOMAIN).toBe('');
    expect(loadConfig({ ...valid, SEDIMENT_DOMAIN: 'S3.Example.Local' }).SEDIMENT_DOMAIN).toBe('s3.example.local');
    expect(loadConfig({ ...valid, SEDIMENT_DOMAIN: 'localhost' }).SEDIMENT_DOMAIN).toBe('localhost');
    for (const bad of ['http://s3.example.local', 's3.example.local:9000', 's3.example.local/x', '-s3.example', 'a..b', 's3_x.example']) {
      expect(() => loadConfig({ ...valid, SEDIMENT_DOMAIN: bad })).toThrow(/SEDIMENT_DOMAIN/);
    }
  });
});
