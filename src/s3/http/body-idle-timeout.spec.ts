import { PassThrough, Writable } from 'node:stream';
import { jest } from '@jest/globals';
import { S3Error } from '../../errors/s3.error.js';
import { watchBodyIdle } from './body-idle-timeout.js';
import type { S3HttpRequest } from './s3-request.js';

const TIMEOUT = 1000;

/** A request body as the watcher sees it: a readable piped into the first stage, with res and socket. */
function bodyPipedIntoStage() {
  const body = new PassThrough();
  const res = { headersSent: false, setHeader: jest.fn() };
  const socket = { destroy: jest.fn() };
  const req = Object.assign(body, { sediment: { requestId: 'R', bodyIdleTimeoutMs: TIMEOUT }, res, socket }) as unknown as S3HttpRequest;
  const stage = new PassThrough({ highWaterMark: 4 });
  stage.on('error', () => undefined);
  body.pipe(stage);
  watchBodyIdle(req, stage);
  return { body, req, res, socket, stage };
}

/** Lets stream events scheduled with process.nextTick / setImmediate run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('watchBodyIdle', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('fails the stage with RequestTimeout when the client sends nothing for the timeout, and asks to close the connection', async () => {
    const { body, res, socket, stage } = bodyPipedIntoStage();
    stage.resume();
    body.write('24 bytes of a larger body');
    await settle();
    jest.advanceTimersByTime(TIMEOUT - 1);
    expect(stage.destroyed).toBe(false);
    jest.advanceTimersByTime(1);
    expect(stage.errored).toBeInstanceOf(S3Error);
    expect((stage.errored as S3Error).code).toBe('RequestTimeout');
    expect(res.setHeader).toHaveBeenCalledWith('Connection', 'close');
    // The 400 goes out first; closing the socket now would lose it.
    expect(socket.destroy).not.toHaveBeenCalled();
  });

  it('counts from the last byte received', async () => {
    const { body, stage } = bodyPipedIntoStage();
    stage.resume();
    for (let i = 0; i < 5; i++) {
      jest.advanceTimersByTime(TIMEOUT - 100);
      body.write('more');
      await settle();
    }
    expect(stage.destroyed).toBe(false);
    jest.advanceTimersByTime(TIMEOUT);
    expect(stage.destroyed).toBe(true);
  });

  it('never fires while the server holds the body back (a slow disk), then counts only the client\'s silence', async () => {
    const { body, stage } = bodyPipedIntoStage();
    // Nobody reads the stage (the disk is busy): its buffer fills and the pipe pauses the request.
    body.write('a chunk larger than the stage buffer');
    await settle();
    expect(body.isPaused()).toBe(true);
    jest.advanceTimersByTime(10 * TIMEOUT);
    expect(stage.destroyed).toBe(false);

    // The disk catches up: the request flows again, and from here on the client is late.
    const disk = new Writable({ write: (_chunk, _encoding, done) => done() });
    stage.pipe(disk);
    await settle();
    jest.advanceTimersByTime(TIMEOUT - 1);
    expect(stage.destroyed).toBe(false);
    jest.advanceTimersByTime(1);
    expect((stage.errored as S3Error).code).toBe('RequestTimeout');
  });

  it('stops watching once the body has arrived whole', async () => {
    const { body, stage } = bodyPipedIntoStage();
    stage.resume();
    body.end('all of it');
    await settle();
    jest.advanceTimersByTime(10 * TIMEOUT);
    expect(stage.errored).toBeNull();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('closes the connection at once when the answer has already started', async () => {
    const { body, res, socket, stage } = bodyPipedIntoStage();
    stage.resume();
    res.headersSent = true;
    body.write('x');
    await settle();
    jest.advanceTimersByTime(TIMEOUT);
    expect(stage.destroyed).toBe(true);
    expect(socket.destroy).toHaveBeenCalled();
  });
});
