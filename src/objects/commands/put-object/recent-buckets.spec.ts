import { RecentBuckets } from './recent-buckets.js';

describe('RecentBuckets', () => {
  it('remembers a bucket seen to exist for the time to live only', () => {
    let now = 0;
    const recent = new RecentBuckets(1000, 10, () => now);
    expect(recent.has('photos')).toBe(false);
    recent.add('photos');
    now = 999;
    expect(recent.has('photos')).toBe(true);
    now = 1000;
    expect(recent.has('photos')).toBe(false);
  });

  it('forgets everything rather than grow past its capacity', () => {
    const recent = new RecentBuckets(1000, 2, () => 0);
    recent.add('a');
    recent.add('b');
    recent.add('c');
    expect([recent.has('a'), recent.has('b'), recent.has('c')]).toEqual([false, false, true]);
  });
});
