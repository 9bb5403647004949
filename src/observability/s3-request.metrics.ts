import type { NextFunction, Response } from 'express';
import type { S3HttpRequest } from '../s3/http/s3-request.js';
import { Counter, Histogram, type MetricFamily } from './prometheus-text.js';

export const S3_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Requests of the S3 (and IAM) port, by the operation the guard routed them to. */
export class S3RequestMetrics {
  private readonly requests = new Counter(
    'sediment_s3_requests_total',
    'Requests answered on the S3 port, by operation and HTTP status ("aborted": the connection closed before the answer was complete).',
    ['operation', 'status'],
  );
  private readonly duration = new Histogram(
    'sediment_s3_request_duration_seconds',
    'Time from the request reaching Sediment to the last byte of its answer, by operation.',
    ['operation'],
    S3_DURATION_BUCKETS,
  );

  record(operation: string, status: string, seconds: number): void {
    this.requests.inc({ operation, status });
    this.duration.observe({ operation }, seconds);
  }

  families(): MetricFamily[] {
    return [this.requests.family(), this.duration.family()];
  }
}

/** The metrics label of a request: its S3 operation as AWS names it, or IAM for the IAM Query API. */
export function operationLabel(req: S3HttpRequest): string {
  return req.sediment?.route?.operation ?? (req.sediment?.protocol === 'iam' ? 'IAM' : 'Unknown');
}

/**
 * Express middleware that records every request once, when its answer is finished or its
 * connection closes: one place, whichever path (operation, guard, exception filter) answered.
 */
export function recordS3Requests(metrics: S3RequestMetrics) {
  return (req: S3HttpRequest, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.record(operationLabel(req), res.writableFinished ? String(res.statusCode) : 'aborted', seconds);
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
