import { describeRecord, parseInspectArgs, verdictFor } from './inspect-event.command.js';

const config = { SEDIMENT_BUCKET_TOPIC: 'buckets.v1', SEDIMENT_IDENTITY_TOPIC: 'identities.v1' };

const bucketCreated = JSON.stringify({
  id: '5f0c6f0e-3c39-4b49-9a7e-6a3f0f1b2c3d',
  type: 'BucketCreated',
  schemaVersion: 1,
  time: '2026-01-01T00:00:00.000Z',
  principal: { accessKeyId: 'ROOT', arn: 'arn:aws:iam::000000000000:root' },
  bucket: 'photos',
  data: { bucket: 'photos', bucketId: 'b1', owner: 'o', ownerDisplayName: 'root', region: 'us-east-1', createdAt: '2026-01-01T00:00:00.000Z' },
});

describe('sediment inspect-event', () => {
  it('needs a topic, a partition and an offset', () => {
    expect(parseInspectArgs(['--topic', 't', '--partition', '2', '--offset', '17'])).toEqual({ topic: 't', partition: 2, offset: 17 });
    expect(parseInspectArgs(['--topic=t', '--partition=0', '--offset=0'])).toEqual({ topic: 't', partition: 0, offset: 0 });
    expect(parseInspectArgs(['--partition', '2', '--offset', '17'])).toEqual({ error: '--topic is required' });
    expect(parseInspectArgs(['--topic', 't', '--partition=-1', '--offset', '1'])).toEqual({ error: '--partition must be a non-negative integer' });
    expect(parseInspectArgs(['--topic', 't', '--partition', '1'])).toEqual({ error: '--offset must be a non-negative integer' });
    expect(parseInspectArgs(['--bogus'])).toHaveProperty('error');
    expect(parseInspectArgs(['--help'])).toEqual({ help: true });
  });

  it('decodes with the reader of the topic the configuration names', () => {
    const good = { offset: '3', value: Buffer.from(bucketCreated) };
    expect(verdictFor(config, 'buckets.v1', 1, good)).toBe(
      'ok: the bucket-metadata projection reads it as BucketCreated (schema v1) of bucket photos',
    );
    // The same record is no identity event: unknown type on that topic.
    expect(verdictFor(config, 'identities.v1', 0, good)).toBe(
      'POISON: unknown event type "BucketCreated". The identity projection stops partition 0 at this record and applies nothing ' +
        'after it there until it is quarantined: sediment quarantine-event --topic identities.v1 --partition 0 --offset 3 --reason "<why>"',
    );
    expect(verdictFor(config, 'elsewhere', 0, good)).toMatch(/^not decoded: elsewhere is neither SEDIMENT_BUCKET_TOPIC/);
  });

  it('names the reason a record is poison', () => {
    expect(verdictFor(config, 'buckets.v1', 2, { offset: '9', value: Buffer.from('{not json') })).toBe(
      'POISON: record is not JSON. The bucket-metadata projection stops partition 2 at this record and applies nothing ' +
        'after it there until it is quarantined: sediment quarantine-event --topic buckets.v1 --partition 2 --offset 9 --reason "<why>"',
    );
    expect(verdictFor(config, 'buckets.v1', 2, { offset: '9', value: null })).toMatch(/^POISON: empty record\./);
  });

  it('prints key, headers, a JSON value pretty and anything else as text and hex', () => {
    const json = describeRecord(
      {
        topic: 'buckets.v1',
        partition: 1,
        message: { offset: '3', key: Buffer.from('photos'), value: Buffer.from('{"a":[1]}'), headers: { ce_type: Buffer.from('X') }, timestamp: '1767225600000' },
      },
      'ok',
    );
    expect(json.split('\n')).toEqual([
      'topic:     buckets.v1',
      'partition: 1',
      'offset:    3',
      'timestamp: 2026-01-01T00:00:00.000Z',
      'key:       photos',
      'headers:',
      '  ce_type: X',
      'value (9 bytes, JSON):',
      '  {',
      '    "a": [',
      '      1',
      '    ]',
      '  }',
      'verdict:   ok',
    ]);
    const garbage = describeRecord(
      { topic: 't', partition: 0, message: { offset: '0', key: null, value: Buffer.from([0x7b, 0x6e, 0xff]), headers: {}, timestamp: '0' } },
      'POISON: record is not JSON.',
    );
    expect(garbage).toContain('key:       (none)\nheaders:\n  (none)\nvalue (3 bytes, not JSON):\n  utf-8: (not valid UTF-8)\n  hex:   7b 6e ff\n');
    const text = describeRecord({ topic: 't', partition: 0, message: { offset: '0', key: null, value: Buffer.from('{oops'), headers: {}, timestamp: '0' } }, 'v');
    expect(text).toContain('value (5 bytes, not JSON):\n  utf-8: "{oops"\n  hex:   7b 6f 6f 70 73\n');
  });
});
