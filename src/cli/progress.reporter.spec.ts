import { formatProgress } from './progress.reporter.js';

describe('formatProgress', () => {
  it('shows done/total, the rate and the time left', () => {
    expect(formatProgress(500, 1000, 2, 10)).toBe('[#####.....] 500/1000 events  250 ev/s  ETA 2s');
    expect(formatProgress(0, 1000, 0, 10)).toBe('[..........] 0/1000 events  0 ev/s  ETA ?');
    expect(formatProgress(1000, 100000, 10, 10)).toBe('[..........] 1000/100000 events  100 ev/s  ETA 16m30s');
  });

  it('is full for an empty log', () => {
    expect(formatProgress(0, 0, 1, 4)).toBe('[####] 0/0 events  0 ev/s  ETA ?');
  });
});
