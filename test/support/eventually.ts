/**
 * Polls `probe` until `accept` holds or `ms` pass, and returns the last value either way, so the
 * caller's assertion on it says what was seen instead of a bare timeout.
 */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
