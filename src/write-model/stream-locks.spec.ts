import { ReadWriteLock, StreamLocks } from './stream-locks.js';

/** A piece of work that runs until released, recording when it starts. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const released = new Promise<void>((resolve) => (open = resolve));
  return {
    work: async () => {
      log.push(`start ${name}`);
      await released;
      log.push(`end ${name}`);
    },
    open: () => open(),
  };
}

const ticks = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('StreamLocks', () => {
  it('decides writes of different keys of one bucket side by side', async () => {
    const locks = new StreamLocks();
    const log: string[] = [];
    const [a, b] = [gate(log, 'a'), gate(log, 'b')];
    const runs = [locks.run('bkt', ['a'], a.work), locks.run('bkt', ['b'], b.work)];
    await ticks();
    expect(log).toEqual(['start a', 'start b']);
    a.open();
    b.open();
    await Promise.all(runs);
  });

  it('decides two writes of one key one after the other', async () => {
    const locks = new StreamLocks();
    const log: string[] = [];
    const [first, second] = [gate(log, '1'), gate(log, '2')];
    const runs = [locks.run('bkt', ['k'], first.work), locks.run('bkt', ['k'], second.work)];
    await ticks();
    expect(log).toEqual(['start 1']);
    first.open();
    await ticks();
    expect(log).toEqual(['start 1', 'end 1', 'start 2']);
    second.open();
    await Promise.all(runs);
  });

  it('gives a bucket-wide decision the bucket alone: it waits for object writes, and later ones wait for it', async () => {
    const locks = new StreamLocks();
    const log: string[] = [];
    const [put, del, later] = [gate(log, 'put'), gate(log, 'delete-bucket'), gate(log, 'later put')];
    const runs = [locks.run('bkt', ['k'], put.work), locks.run('bkt', undefined, del.work), locks.run('bkt', ['other'], later.work)];
    await ticks();
    expect(log).toEqual(['start put']);
    put.open();
    await ticks();
    expect(log).toEqual(['start put', 'end put', 'start delete-bucket']);
    del.open();
    await ticks();
    expect(log.at(-1)).toBe('start later put');
    later.open();
    await Promise.all(runs);
  });

  it('takes many keys in one order, so overlapping multi-key writes cannot deadlock', async () => {
    const locks = new StreamLocks();
    const done: string[] = [];
    await Promise.all([
      locks.run('bkt', ['x', 'y'], async () => void done.push('xy')),
      locks.run('bkt', ['y', 'x'], async () => void done.push('yx')),
      locks.run('bkt', ['y', 'z', 'x'], async () => void done.push('yzx')),
    ]);
    expect(done.sort()).toEqual(['xy', 'yx', 'yzx']);
  });

  it('releases the bucket when work fails, and forgets idle buckets', async () => {
    const locks = new StreamLocks();
    await expect(locks.run('bkt', undefined, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(locks.run('bkt', ['k'], async () => 'ok')).resolves.toBe('ok');
    expect((locks as unknown as { buckets: Map<string, unknown> }).buckets.size).toBe(0);
  });
});

describe('ReadWriteLock', () => {
  it('serves waiters in arrival order: a shared request behind an exclusive one waits for it', async () => {
    const lock = new ReadWriteLock();
    const order: string[] = [];
    await lock.acquire(false);
    const exclusive = lock.acquire(true).then(() => order.push('exclusive'));
    const shared = lock.acquire(false).then(() => order.push('shared'));
    await ticks();
    expect(order).toEqual([]);
    lock.release(false);
    await ticks();
    expect(order).toEqual(['exclusive']);
    lock.release(true);
    await Promise.all([exclusive, shared]);
    expect(order).toEqual(['exclusive', 'shared']);
    lock.release(false);
    expect(lock.idle).toBe(true);
  });
});
