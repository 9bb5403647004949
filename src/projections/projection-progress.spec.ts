import { jest } from '@jest/globals';
import { S3Error } from '../errors/s3.error.js';
import { clip, describeStop, partitionStopped, ProjectionProgress, type StoppedPartition } from './projection-progress.js';

const stop = (partition: number, offset: number, reason = 'record is not JSON'): StoppedPartition => ({
  topic: 'buckets',
  partition,
  offset,
  reason,
  since: new Date('2026-11-27T10:00:00.000Z'),
});

/** What a promise came to, without waiting for a timer: 'pending' if it has not settled by now. */
async function state(promise: Promise<unknown>): Promise<'resolved' | 'pending' | Error> {
  const pending = Symbol('pending');
  const outcome = await Promise.race([promise.then(() => 'resolved' as const, (e: Error) => e), new Promise((r) => setImmediate(() => r(pending)))]);
  return outcome === pending ? 'pending' : (outcome as 'resolved' | Error);
}

describe('ProjectionProgress: a partition stopped on a poison record (ADR 0011)', () => {
  // The waits' timeouts never fire here: every outcome below comes without waiting for one.
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => {
    jest.clearAllTimers();
    jest.useRealTimers();
  });

  it('answers the waiters of that partition at once, with the record and the command, and no other partition\'s', async () => {
    const progress = new ProjectionProgress();
    const onStopped = progress.waitFor(2, 5, 60_000);
    const elsewhere = progress.waitFor(1, 0, 60_000);
    progress.halt(stop(2, 5));
    const error = await state(onStopped);
    expect(error).toBeInstanceOf(S3Error);
    expect(error).toMatchObject({
      code: 'ServiceUnavailable',
      message:
        'Partition 2 of buckets is stopped at offset 5 on an event the read model cannot apply (record is not JSON); writes to it are ' +
        'refused until an operator inspects it (sediment inspect-event --topic buckets --partition 2 --offset 5) and quarantines it ' +
        '(sediment quarantine-event --topic buckets --partition 2 --offset 5 --reason "<why>").',
    });
    expect(await state(elsewhere)).toBe('pending');
    progress.markApplied(1, 0);
    expect(await state(elsewhere)).toBe('resolved');
    // A later wait on the stopped partition fails at once too.
    expect(await state(progress.waitFor(2, 6, 60_000))).toMatchObject({ code: 'ServiceUnavailable', message: expect.stringContaining('offset 5') });
  });

  it('lets a boot settle: a catch-up wait resolves when its partition stops short of the end', async () => {
    const progress = new ProjectionProgress();
    const settling = progress.settle(0, 9, 60_000);
    expect(await state(settling)).toBe('pending');
    progress.halt(stop(0, 4));
    expect(await state(settling)).toBe('resolved');
    expect(await state(progress.settle(0, 9, 60_000))).toBe('resolved');
    expect(await state(progress.settle(1, 0, 60_000))).toBe('pending');
  });

  it('lists stopped partitions in order, and forgets one that got past its record', async () => {
    const progress = new ProjectionProgress();
    progress.halt(stop(3, 1));
    progress.halt(stop(0, 7, 'unknown event type "X"'));
    expect(progress.stoppedPartitions().map((s) => [s.partition, s.offset])).toEqual([[0, 7], [3, 1]]);
    expect(progress.stoppedAt(3)).toMatchObject({ offset: 1 });
    progress.markApplied(3, 1);
    progress.resume(3);
    expect(progress.stoppedAt(3)).toBeUndefined();
    expect(await state(progress.waitFor(3, 2, 60_000))).toBe('pending');
    expect(progress.stoppedBy).toBeNull();
  });

  it('still stops whole when the projection itself stops', async () => {
    const progress = new ProjectionProgress();
    const waiting = progress.settle(1, 0, 60_000);
    progress.stop(new Error('gone'));
    expect(await state(waiting)).toMatchObject({ code: 'ServiceUnavailable' });
    expect(await state(progress.waitFor(0, 0, 60_000))).toMatchObject({ code: 'ServiceUnavailable' });
  });

  it('keeps a database\'s long error on one clipped line in messages and logs', () => {
    expect(clip('a\nb\u0000c  ')).toBe('a b c');
    expect(clip('x'.repeat(300))).toHaveLength(200);
    const long = stop(1, 2, `ERROR: ${'y'.repeat(400)}`);
    expect(partitionStopped(long).message.length).toBeLessThan(600);
    expect(describeStop(long)).toContain('sediment quarantine-event --topic buckets --partition 1 --offset 2 --reason "<why>"');
  });
});
