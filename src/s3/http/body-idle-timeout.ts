import type { Readable } from 'node:stream';
import { S3Error } from '../../errors/s3.error.js';
import type { S3HttpRequest } from './s3-request.js';

/** S3 closes a connection whose request body has not moved for about 20 seconds. */
export const DEFAULT_BODY_IDLE_TIMEOUT_MS = 20_000;

/**
 * Fails `stage` (the first stream the request body is piped into) with 400 RequestTimeout when
 * the client sends nothing for the request's body idle timeout, and closes the connection once
 * that answer is out: a client that declares more than it sends must not hold a connection and
 * a temp file until Node's 300 s request timeout.
 *
 * Only time spent waiting on the client counts. While the request is paused (the pipe's
 * backpressure: the disk or a decoding stage is slower than the client) the server holds the
 * body back itself, so each pause and each resume restarts the count.
 */
export function watchBodyIdle(req: S3HttpRequest, stage: Readable): void {
  const timeoutMs = req.sediment?.bodyIdleTimeoutMs ?? DEFAULT_BODY_IDLE_TIMEOUT_MS;
  let lastProgress = performance.now();
  const progress = () => {
    lastProgress = performance.now();
  };
  const check = () => {
    const idle = performance.now() - lastProgress;
    // Not flowing: nobody reads the body right now (backpressure), so the client is not late.
    if (req.readableFlowing !== true) progress();
    else if (idle >= timeoutMs) return expire(req, stage);
    timer = setTimeout(check, Math.max(1, lastProgress + timeoutMs - performance.now()));
    timer.unref();
  };
  let timer = setTimeout(check, timeoutMs);
  timer.unref();

  const stop = () => {
    clearTimeout(timer);
    req.off('data', progress).off('pause', progress).off('resume', progress).off('end', stop).off('close', stop);
    stage.off('close', stop);
  };
  req.on('data', progress).on('pause', progress).on('resume', progress).once('end', stop).once('close', stop);
  stage.once('close', stop);
}

function expire(req: S3HttpRequest, stage: Readable): void {
  const res = req.res;
  if (res && !res.headersSent) {
    // The answer goes out through the usual error path (the stage's error reaches the handler);
    // the rest of the body will never come, so the connection ends with it.
    res.setHeader('Connection', 'close');
    stage.destroy(new S3Error('RequestTimeout'));
  } else {
    stage.destroy(new S3Error('RequestTimeout'));
    req.socket.destroy();
  }
}
