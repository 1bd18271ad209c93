import { InvalidArgumentError } from "./errors.ts";

// Argument checks shared by every provider implementation, so bad input gets the same clear
// error (naming the argument) in production and in simulation.

/** Throws unless `ms` is a finite, non-negative number of milliseconds. */
export function checkDuration(argument: string, ms: number): void {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
    throw new InvalidArgumentError(
      argument,
      `expected a finite, non-negative number of ms, got ${String(ms)}`,
    );
  }
}

/** Throws unless `min < maxExclusive` and both are safe integers. */
export function checkIntRange(min: number, maxExclusive: number): void {
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(maxExclusive)) {
    throw new InvalidArgumentError(
      "int(min, maxExclusive)",
      `expected safe integers, got ${min}, ${maxExclusive}`,
    );
  }
  if (min >= maxExclusive) {
    throw new InvalidArgumentError(
      "int(min, maxExclusive)",
      `min (${min}) must be < maxExclusive (${maxExclusive})`,
    );
  }
}

/** Throws unless `p` is a probability in [0, 1]. */
export function checkProbability(argument: string, p: number): void {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new InvalidArgumentError(argument, `expected a probability in [0, 1], got ${String(p)}`);
  }
}

/** Throws unless `n` is a non-negative safe integer. */
export function checkCount(argument: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError(argument, `expected a non-negative safe integer, got ${String(n)}`);
  }
}

/**
 * Throws unless `path` is a plain relative "/"-separated storage path (or, with `isPrefix`, a
 * prefix that may end with "/"): no absolute paths, backslashes, NUL bytes, empty, "." or ".."
 * segments, so a path never escapes the provider's root.
 */
export function checkStoragePath(argument: string, path: string, isPrefix = false): void {
  if (typeof path !== "string" || path === "") {
    throw new InvalidArgumentError(argument, "expected a non-empty relative path");
  }
  if (path.includes("\0")) throw new InvalidArgumentError(argument, "contains a NUL byte");
  if (path.startsWith("/") || path.includes("\\") || /^[a-zA-Z]:/.test(path)) {
    throw new InvalidArgumentError(
      argument,
      `expected a relative "/"-separated path, got ${JSON.stringify(path)}`,
    );
  }
  const segments = path.split("/");
  // A prefix may end with "/" ("wal/"), a path may not.
  const checked = isPrefix && segments.at(-1) === "" ? segments.slice(0, -1) : segments;
  for (const segment of checked) {
    if (segment === "" || segment === "." || segment === "..") {
      throw new InvalidArgumentError(
        argument,
        `${JSON.stringify(path)} has an empty, "." or ".." segment (paths stay inside the data directory)`,
      );
    }
  }
}
