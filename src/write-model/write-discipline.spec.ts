import { ProjectionProgress } from '../projections/projection-progress.js';
import { WriteDiscipline } from './write-discipline.js';

const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('WriteDiscipline', () => {
  async function setup() {
    const progress = new ProjectionProgress();
    let end = 0;
    const discipline = new WriteDiscipline(async () => new Map([[0, end]]), progress, 60_000, 60_000);
    const failAppend = (landed: boolean) =>
      discipline.appendAndApply(0, async () => {
        if (landed) end++;
        throw new Error('the broker did not answer');
      });
    // Booted on an empty log: nothing to catch up with.
    await discipline.catchUp();
    return { progress, discipline, failAppend };
  }

  it('after an ambiguous append, waits until the log end is applied before the next decision', async () => {
    const { progress, discipline, failAppend } = await setup();
    await expect(failAppend(true)).rejects.toThrow('did not answer');
    const deciding = discipline.beforeDeciding(0);
    expect(await settled(deciding)).toBe(false);
    progress.markApplied(0, 0);
    expect(await settled(deciding)).toBe(true);
    // Caught up: the next decision does not wait.
    expect(await settled(discipline.beforeDeciding(0))).toBe(true);
  });

  it('a catch-up clears only the mark it caught up to: one made meanwhile still holds the next decision', async () => {
    const { progress, discipline, failAppend } = await setup();
    await expect(failAppend(true)).rejects.toThrow();
    const first = discipline.beforeDeciding(0);
    expect(await settled(first)).toBe(false);
    // Another writer's append fails ambiguously while the first catches up.
    await expect(failAppend(true)).rejects.toThrow();
    progress.markApplied(0, 0);
    expect(await settled(first)).toBe(true);
    const second = discipline.beforeDeciding(0);
    expect(await settled(second)).toBe(false);
    progress.markApplied(0, 1);
    expect(await settled(second)).toBe(true);
  });

  it('answers an append only once the projection applied it', async () => {
    const { progress, discipline } = await setup();
    const appending = discipline.appendAndApply(0, async () => [{ partition: 0, offset: 0 }]);
    expect(await settled(appending)).toBe(false);
    progress.markApplied(0, 0);
    await expect(appending).resolves.toEqual([{ partition: 0, offset: 0 }]);
  });
});
