import { MongoNetworkError, MongoNetworkTimeoutError, MongoServerError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import { PoisonEventError } from '../event-log/event-envelope.js';
import { ApplyFailures, isTransient, withoutFrames } from './apply-failures.js';

/** What FerretDB over PostgreSQL answers for a string holding U+0000 (seen with the mongodb driver). */
const ferretNul = () =>
  new MongoServerError({
    ok: 0,
    code: 1,
    codeName: 'InternalError',
    errmsg:
      '[msg_insert.go:168 handler.(*Handler).MsgInsert] [collection.go:163 postgresql.(*collection).InsertAll.func1] ' +
      'ERROR: unsupported Unicode escape sequence (SQLSTATE 22P05)',
  });

const policy = { attempts: 5, firstDelayMs: 250, poisonRetryMs: 30_000 };

describe('ApplyFailures: when a record is poison (ADR 0011)', () => {
  it('a record that does not decode is poison at once, and is not tried again', () => {
    const failures = new ApplyFailures(policy);
    expect(failures.record(3, 7, new PoisonEventError('record is not JSON', { partition: 3, offset: 7 }))).toEqual({
      kind: 'poison',
      reason: 'record is not JSON',
    });
  });

  it('an error the server returns for the same record is retried with backoff, then poison, then tried every 30 s', () => {
    const failures = new ApplyFailures(policy);
    const verdicts = Array.from({ length: 6 }, () => failures.record(2, 10, ferretNul()));
    expect(verdicts.slice(0, 4)).toEqual([250, 500, 1000, 2000].map((delayMs) => ({ kind: 'retry', delayMs })));
    const reason = 'applying it failed 5 times: MongoServerError: ERROR: unsupported Unicode escape sequence (SQLSTATE 22P05)';
    expect(verdicts[4]).toEqual({ kind: 'poison', reason, retryInMs: 30_000 });
    expect(verdicts[5]).toEqual({ kind: 'poison', reason: reason.replace('5 times', '6 times'), retryInMs: 30_000 });
  });

  it('counts attempts per partition and per record: another record, or a cleared partition, starts again', () => {
    const failures = new ApplyFailures(policy);
    failures.record(0, 1, ferretNul());
    failures.record(0, 1, ferretNul());
    expect(failures.record(1, 1, ferretNul())).toEqual({ kind: 'retry', delayMs: 250 });
    expect(failures.record(0, 2, ferretNul())).toEqual({ kind: 'retry', delayMs: 250 });
    failures.clear(0);
    expect(failures.record(0, 2, ferretNul())).toEqual({ kind: 'retry', delayMs: 250 });
  });

  it('an error of the projection code itself (malformed data that decoded) counts like a server answer', () => {
    const failures = new ApplyFailures({ ...policy, attempts: 1 });
    expect(failures.record(0, 0, new TypeError("Cannot read properties of undefined (reading 'key')"))).toEqual({
      kind: 'poison',
      reason: "applying it failed 1 times: TypeError: Cannot read properties of undefined (reading 'key')",
      retryInMs: 30_000,
    });
  });

  it.each([
    ['a network error', new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed')],
    ['a network timeout', new MongoNetworkTimeoutError('timed out')],
    ['no server to select', new MongoServerSelectionError('Server selection timed out after 10000 ms', { type: 'Unknown', servers: new Map(), stale: false, compatible: true, heartbeatFrequencyMS: 10000, localThresholdMS: 15, setName: null, maxElectionId: null, maxSetVersion: null, commonWireVersion: 0, logicalSessionTimeoutMinutes: null } as never)],
    ['a closed client (shutdown)', new MongoTopologyClosedError()],
    ['a primary that stepped down', new MongoServerError({ ok: 0, code: 189, codeName: 'PrimarySteppedDown', errmsg: 'stepped down' })],
    ['a Kafka client error', Object.assign(new Error('The group is rebalancing'), { name: 'KafkaJSProtocolError' })],
  ])('%s is transient: retried forever, never blamed on the record', (_name, error) => {
    expect(isTransient(error)).toBe(true);
    const failures = new ApplyFailures({ ...policy, attempts: 1 });
    expect(failures.record(0, 0, error)).toEqual({ kind: 'transient' });
    expect(failures.record(0, 0, error)).toEqual({ kind: 'transient' });
  });

  it('a server error labelled retryable is transient', () => {
    const error = ferretNul();
    error.addErrorLabel('RetryableWriteError');
    expect(isTransient(error)).toBe(true);
    expect(isTransient(ferretNul())).toBe(false);
  });

  it('keeps what follows FerretDB\'s Go call frames, and any other message whole', () => {
    expect(withoutFrames('[a.go:1 f] [b.go:2 g[...]] ERROR: x (SQLSTATE 22P05)')).toBe('ERROR: x (SQLSTATE 22P05)');
    expect(withoutFrames('E11000 duplicate key [x] y')).toBe('E11000 duplicate key [x] y');
  });
});
