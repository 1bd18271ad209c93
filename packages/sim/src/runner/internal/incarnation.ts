// Per-incarnation providers: what a process's context holds belongs to that boot of it. Once the
// incarnation is killed every call parks for good (a promise that never settles), and results
// still in flight are never handed to it, so code of a crashed process that still runs (a
// continuation resolved by a live task) can change nothing, on disk or anywhere else.

/** What the guard needs to know of the incarnation. */
export interface Incarnation {
  readonly killed: boolean;
}

const NEVER: Promise<never> = new Promise<never>(() => {});

/** True for results that are handles to guard in turn (a file), not data. */
function isHandle(value: unknown): value is object {
  return (
    value !== null &&
    typeof value === "object" &&
    !ArrayBuffer.isView(value) &&
    !Array.isArray(value) &&
    !(value instanceof Error)
  );
}

/**
 * `target` as the incarnation sees it: every method parks once `incarnation` is killed, and
 * objects its promises resolve to (files of a storage provider) are guarded the same way.
 * Works for any provider shape (methods added later are guarded too).
 */
export function parkAfterKill<T extends object>(target: T, incarnation: Incarnation): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver);
      if (typeof value !== "function") return value;
      let guarded = wrapped.get(key);
      if (guarded === undefined) {
        guarded = (...args: unknown[]): unknown => {
          if (incarnation.killed) return NEVER;
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(obj, args);
          if (!(result instanceof Promise)) return result;
          return result.then(
            (v: unknown) => (incarnation.killed ? NEVER : isHandle(v) ? parkAfterKill(v, incarnation) : v),
            (error: unknown) => (incarnation.killed ? NEVER : Promise.reject(error)),
          );
        };
        wrapped.set(key, guarded);
      }
      return guarded;
    },
  });
}
