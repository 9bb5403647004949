import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { ProjectionProgress, type StoppedPartition } from '../projections/projection-progress.js';
import type { S3HttpRequest } from '../s3/http/s3-request.js';
import { renderMetrics } from './prometheus-text.js';
import { recordS3Requests, S3RequestMetrics } from './s3-request.metrics.js';
import { healthReport, reportProjection, serviceFamilies, type ServiceSnapshot } from './service-report.js';

const reachable = { ok: true };

function snapshot(overrides: Partial<ServiceSnapshot> = {}): ServiceSnapshot {
  return {
    kafka: reachable,
    mongodb: reachable,
    endOffsets: new Map([
      ['buckets', new Map([[0, 5], [1, 0], [2, 3]])],
      ['identities', new Map([[0, 2]])],
    ]),
    replays: [],
    ...overrides,
  };
}

const SINCE = new Date('2026-11-27T10:00:00.000Z');
const stop = (partition: number, offset: number, reason: string): StoppedPartition => ({ topic: 'buckets', partition, offset, reason, since: SINCE });

function progress(applied: Record<number, number>): ProjectionProgress {
  const p = new ProjectionProgress();
  p.seed(new Map(Object.entries(applied).map(([k, v]) => [Number(k), v])));
  return p;
}

describe('projection report', () => {
  it('computes lag per partition as end offset - 1 - applied offset', () => {
    const report = reportProjection({ name: 'bucket-metadata', topic: 'buckets', progress: progress({ 0: 2, 2: 2 }) }, snapshot().endOffsets);
    expect([...report.lagByPartition!]).toEqual([[0, 2], [1, 0], [2, 0]]);
    expect(report).toMatchObject({ state: 'running', lag: 2, eventsApplied: 0 });
  });

  it('counts events applied after start, not the checkpoints loaded at start', () => {
    const p = progress({ 0: 2 });
    p.markApplied(0, 3);
    p.markApplied(0, 3); // a redelivery changes nothing
    p.markApplied(1, 0);
    expect(p.eventsApplied).toBe(2);
  });

  it('has no lag when Kafka did not answer', () => {
    const report = reportProjection({ name: 'identity', topic: 'identities', progress: progress({}) }, new Map());
    expect(report.lagByPartition).toBeNull();
    expect(report.lag).toBeNull();
  });

  it('names the poison record of each stopped partition: partition, offset, reason, since', () => {
    const p = progress({ 0: 1, 2: 0 });
    p.halt(stop(2, 1, 'applying it failed 5 times: MongoServerError: unsupported Unicode escape sequence'));
    p.halt(stop(0, 2, 'record is not JSON'));
    const report = reportProjection({ name: 'bucket-metadata', topic: 'buckets', progress: p }, snapshot().endOffsets);
    expect(report).toMatchObject({
      state: 'stopped',
      poison: [
        { partition: 0, offset: 2, reason: 'record is not JSON', since: '2026-11-27T10:00:00.000Z' },
        { partition: 2, offset: 1, reason: 'applying it failed 5 times: MongoServerError: unsupported Unicode escape sequence', since: '2026-11-27T10:00:00.000Z' },
      ],
    });
    p.resume(0);
    p.resume(2);
    expect(reportProjection({ name: 'bucket-metadata', topic: 'buckets', progress: p }, snapshot().endOffsets)).toMatchObject({ state: 'running', poison: [] });
  });
});

describe('health', () => {
  const running = [
    reportProjection({ name: 'bucket-metadata', topic: 'buckets', progress: progress({ 0: 4, 2: 2 }) }, snapshot().endOffsets),
    reportProjection({ name: 'identity', topic: 'identities', progress: progress({ 0: 1 }) }, snapshot().endOffsets),
  ];

  it('is ok (200) when both dependencies answer and both projections run', () => {
    expect(healthReport(snapshot(), running, true)).toEqual({
      httpStatus: 200,
      body: {
        status: 'ok',
        kafka: { ok: true },
        mongodb: { ok: true },
        projections: { 'bucket-metadata': { state: 'running', lag: 0 }, identity: { state: 'running', lag: 0 } },
      },
    });
  });

  it('is degraded (503) while the boot is still catching up', () => {
    expect(healthReport(snapshot(), running, false)).toMatchObject({ httpStatus: 503, body: { status: 'degraded' } });
  });

  it('is down (503) when a dependency does not answer', () => {
    const down = snapshot({ mongodb: { ok: false, error: 'no answer within 2000 ms' } });
    expect(healthReport(down, running, true)).toMatchObject({
      httpStatus: 503,
      body: { status: 'down', mongodb: { ok: false, error: 'no answer within 2000 ms' } },
    });
  });

  it('is down (503) when a partition stopped, and shows its poison event', () => {
    const p = progress({ 0: 4 });
    p.halt(stop(2, 3, 'unknown event type "Nope"'));
    const stopped = [reportProjection({ name: 'bucket-metadata', topic: 'buckets', progress: p }, snapshot().endOffsets), running[1]!];
    expect(healthReport(snapshot(), stopped, true)).toMatchObject({
      httpStatus: 503,
      body: {
        status: 'down',
        projections: {
          'bucket-metadata': {
            state: 'stopped',
            lag: 3,
            poison: [{ partition: 2, offset: 3, reason: 'unknown event type "Nope"', since: '2026-11-27T10:00:00.000Z' }],
          },
        },
      },
    });
  });
});

describe('service metrics', () => {
  it('exposes lag, applied events, stopped and poison gauges, replays and dependencies', () => {
    const p = progress({ 0: 3 });
    p.halt(stop(0, 4, 'record is not JSON'));
    p.halt(stop(2, 0, 'applying it failed 5 times: MongoServerError: [msg_insert.go:168] ERROR:\nunsupported'));
    const projections = [reportProjection({ name: 'bucket-metadata', topic: 'buckets', progress: p }, snapshot().endOffsets)];
    const replays = [{ id: 'sediment_rm_1', target: 'sediment_rm_1', status: 'running', done: 40, total: 100 }];
    const text = renderMetrics(serviceFamilies(snapshot({ replays, kafka: { ok: false, error: 'x' } }), projections));
    expect(text).toContain('sediment_projection_lag_events{projection="bucket-metadata",partition="0"} 1\n');
    expect(text).toContain('sediment_projection_lag_events{projection="bucket-metadata",partition="2"} 3\n');
    expect(text).toContain('sediment_projection_events_applied_total{projection="bucket-metadata"} 0\n');
    expect(text).toContain('sediment_projection_stopped{projection="bucket-metadata"} 1\n');
    expect(text).toContain(
      'sediment_projection_poison_event_info{projection="bucket-metadata",partition="0",offset="4",reason="record is not JSON"} 1\n',
    );
    // One series per stopped partition; a reason is one line, however the database worded it.
    expect(text).toContain(
      'sediment_projection_poison_event_info{projection="bucket-metadata",partition="2",offset="0",reason="applying it failed 5 times: MongoServerError: [msg_insert.go:168] ERROR: unsupported"} 1\n',
    );
    expect(text).toContain('sediment_replay_events_done{replay="sediment_rm_1"} 40\n');
    expect(text).toContain('sediment_replay_events_total{replay="sediment_rm_1"} 100\n');
    expect(text).toContain('sediment_dependency_up{dependency="kafka"} 0\n');
    expect(text).toContain('sediment_dependency_up{dependency="mongodb"} 1\n');
  });
});

describe('S3 request metrics', () => {
  function request(sediment: S3HttpRequest['sediment']) {
    const metrics = new S3RequestMetrics();
    const res = Object.assign(new EventEmitter(), { statusCode: 200, writableFinished: false });
    let nextCalled = false;
    recordS3Requests(metrics)({ sediment } as S3HttpRequest, res as unknown as Response, () => (nextCalled = true));
    expect(nextCalled).toBe(true);
    return { metrics, res };
  }

  it('records once per request, when it finishes, by the routed operation and status', () => {
    const sediment: S3HttpRequest['sediment'] = { requestId: 'R' };
    const { metrics, res } = request(sediment);
    sediment.route = { operation: 'PutObject' } as NonNullable<S3HttpRequest['sediment']['route']>;
    res.statusCode = 503;
    res.writableFinished = true;
    res.emit('finish');
    res.emit('close');
    const text = renderMetrics(metrics.families());
    expect(text).toContain('sediment_s3_requests_total{operation="PutObject",status="503"} 1\n');
    expect(text).toContain('sediment_s3_request_duration_seconds_count{operation="PutObject"} 1\n');
    expect(text).toContain('sediment_s3_request_duration_seconds_bucket{operation="PutObject",le="10"} 1\n');
  });

  it('labels IAM Query API calls IAM, unrouted requests Unknown, and cut connections aborted', () => {
    const iam = request({ requestId: 'R', protocol: 'iam' });
    iam.res.writableFinished = true;
    iam.res.emit('finish');
    expect(renderMetrics(iam.metrics.families())).toContain('sediment_s3_requests_total{operation="IAM",status="200"} 1\n');
    const cut = request({ requestId: 'R' });
    cut.res.emit('close');
    expect(renderMetrics(cut.metrics.families())).toContain('sediment_s3_requests_total{operation="Unknown",status="aborted"} 1\n');
  });
});
