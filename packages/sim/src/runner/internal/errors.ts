// Turning whatever user code throws into an Error that says where it came from.

/** `value` as an Error; a non-Error throw (`throw "x"`) becomes an Error that says so. */
export function toError(value: unknown, where: string): Error {
  if (value instanceof Error) return value;
  let shown: string;
  try {
    shown = typeof value === "string" ? JSON.stringify(value) : String(value);
  } catch {
    shown = Object.prototype.toString.call(value);
  }
  const error = new Error(
    `${where} threw a non-Error value (${typeof value}): ${shown}; throw an Error instead`,
  );
  (error as Error & { thrown?: unknown }).thrown = value;
  return error;
}

/** True for the errors a task sees when its signal aborts or it is cancelled. */
export function isAbortLike(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "AbortError" || name === "TaskCancelledError";
}

/** Wraps `error` with a prefix saying where it happened, keeping the original as `cause`. */
export function withContext(error: Error, context: string): Error {
  const wrapped = new Error(`${context}: ${error.message}`, { cause: error });
  if (error.stack)
    wrapped.stack = `${wrapped.name}: ${wrapped.message}\n${error.stack.split("\n").slice(1).join("\n")}`;
  return wrapped;
}

/** Makes sure a failure message names its seed. */
export function seedMessage(error: Error | undefined, seed: number): string {
  const message = error?.message ?? "failed";
  return /\bseed\b/.test(message) && message.includes(String(seed)) ? message : `seed ${seed}: ${message}`;
}
