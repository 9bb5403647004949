import { ConfigError, loadConfig } from './sediment.config.js';

const valid = {
  SEDIMENT_ROOT_ACCESS_KEY_ID: 'SEDIMENTROOTKEY0001',
  SEDIMENT_ROOT_SECRET_ACCESS_KEY: 'sediment-root-secret-key-0001',
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

  it('names a malformed broker list', () => {
    expect(() => loadConfig({ ...valid, KAFKA_BROKERS: 'localhost' })).toThrow(/KAFKA_BROKERS/);
  });
});
