/**
 * A stand-in for a store whose every property is looked up on the current target, so the whole
 * service (queries, projectors, writers) moves to another read-model database in one
 * assignment. Methods are bound to the target they were read from.
 */
export interface Switchable<T extends object> {
  readonly proxy: T;
  readonly current: T;
  use(next: T): void;
}

export function switchable<T extends object>(initial: T): Switchable<T> {
  let target = initial;
  const proxy = new Proxy(initial, {
    get(_, property) {
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    proxy,
    get current() {
      return target;
    },
    use(next: T) {
      target = next;
    },
  };
}
