import { WriteGate } from './write-gate.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WriteGate', () => {
  it('closes only once the writes inside have finished, holds new ones, and lets them through on open', async () => {
    const gate = new WriteGate();
    const order: string[] = [];
    let finishFirst!: () => void;
    void gate.enter(() => new Promise<void>((resolve) => (finishFirst = resolve)).then(() => void order.push('first done')));
    await tick();
    const closing = gate.close().then(() => void order.push('closed'));
    const second = gate.enter(async () => void order.push('second ran'));
    await tick();
    expect(order).toEqual([]);
    finishFirst();
    await closing;
    await tick();
    expect(order).toEqual(['first done', 'closed']);
    gate.open();
    await second;
    expect(order).toEqual(['first done', 'closed', 'second ran']);
  });

  it('closes at once when nothing is inside, and passes errors through', async () => {
    const gate = new WriteGate();
    await gate.close();
    gate.open();
    await expect(gate.enter(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await gate.close();
    gate.open();
  });
});
