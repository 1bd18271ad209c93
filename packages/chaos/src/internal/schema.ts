// A tiny schema language for chaos configs: merges a user's partial config onto the defaults
// while checking every field, so bad input fails with an error naming the exact field.
import { InvalidArgumentError } from "@moonpool/core";

export type Leaf =
  | "probability"
  | "ms"
  | "positive"
  | "nonNegative"
  | "count"
  | "positiveCount"
  | "openHalfToOne"
  | "msRange"
  | "minMaxRange"
  | "latency"
  | "tags"
  | "boolean"
  | { readonly oneOf: readonly string[] };

export type Schema = Leaf | { readonly [key: string]: Schema };

function isLeaf(s: Schema): s is Leaf {
  return typeof s === "string" || (typeof s === "object" && "oneOf" in s && Array.isArray(s.oneOf));
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function fail(path: string, message: string): never {
  throw new InvalidArgumentError(path, message);
}

function checkKeys(path: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) fail(`${path}.${key}`, `unknown key; expected one of ${known.join(", ")}`);
  }
}

function number(path: string, v: unknown, ok: (n: number) => boolean, expected: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || !ok(v))
    fail(path, `expected ${expected}, got ${String(v)}`);
  return v;
}

const ms = (path: string, v: unknown): number =>
  number(path, v, (n) => n >= 0, "a finite, non-negative number of ms");

function msRange(path: string, v: unknown, defaults: unknown): unknown {
  if (!isPlainObject(v)) fail(path, `expected { minMs, maxMs }, got ${String(v)}`);
  checkKeys(path, v, ["minMs", "maxMs"]);
  const d = (defaults ?? {}) as { minMs?: number; maxMs?: number };
  const minMs = ms(`${path}.minMs`, v.minMs ?? d.minMs);
  const maxMs = ms(`${path}.maxMs`, v.maxMs ?? d.maxMs);
  if (minMs > maxMs) fail(path, `minMs (${minMs}) must be <= maxMs (${maxMs})`);
  return { minMs, maxMs };
}

function latency(path: string, v: unknown): unknown {
  if (!isPlainObject(v)) fail(path, `expected a latency distribution { kind, ... }, got ${String(v)}`);
  switch (v.kind) {
    case "fixed":
      checkKeys(path, v, ["kind", "ms"]);
      return { kind: "fixed", ms: ms(`${path}.ms`, v.ms) };
    case "uniform":
      checkKeys(path, v, ["kind", "minMs", "maxMs"]);
      return { kind: "uniform", ...(msRange(path, { minMs: v.minMs, maxMs: v.maxMs }, undefined) as object) };
    case "exponential": {
      checkKeys(path, v, ["kind", "minMs", "meanMs", "maxMs"]);
      const out: Record<string, unknown> = {
        kind: "exponential",
        minMs: ms(`${path}.minMs`, v.minMs),
        meanMs: ms(`${path}.meanMs`, v.meanMs),
      };
      if (v.maxMs !== undefined) out.maxMs = ms(`${path}.maxMs`, v.maxMs);
      return out;
    }
    case "bimodal":
      checkKeys(path, v, ["kind", "fast", "slow", "slowProbability"]);
      return {
        kind: "bimodal",
        fast: msRange(`${path}.fast`, v.fast, undefined),
        slow: msRange(`${path}.slow`, v.slow, undefined),
        slowProbability: number(
          `${path}.slowProbability`,
          v.slowProbability,
          (n) => n >= 0 && n <= 1,
          "a probability in [0, 1]",
        ),
      };
    default:
      return fail(
        `${path}.kind`,
        `expected "fixed", "uniform", "exponential" or "bimodal", got ${String(v.kind)}`,
      );
  }
}

function leaf(path: string, s: Leaf, v: unknown, defaults: unknown): unknown {
  if (typeof s === "object") {
    if (typeof v !== "string" || !s.oneOf.includes(v)) {
      fail(path, `expected one of ${s.oneOf.map((o) => `"${o}"`).join(", ")}, got ${String(v)}`);
    }
    return v;
  }
  switch (s) {
    case "probability":
      return number(path, v, (n) => n >= 0 && n <= 1, "a probability in [0, 1]");
    case "ms":
      return ms(path, v);
    case "positive":
      return number(path, v, (n) => n > 0, "a finite number > 0");
    case "nonNegative":
      return number(path, v, (n) => n >= 0, "a finite number >= 0");
    case "count":
      return number(path, v, (n) => Number.isSafeInteger(n) && n >= 0, "a non-negative integer");
    case "positiveCount":
      return number(path, v, (n) => Number.isSafeInteger(n) && n > 0, "a positive integer");
    case "openHalfToOne":
      return number(path, v, (n) => n > 0.5 && n < 1, "a number in (0.5, 1)");
    case "msRange":
      return msRange(path, v, defaults);
    case "minMaxRange": {
      if (!isPlainObject(v)) fail(path, `expected { min, max }, got ${String(v)}`);
      checkKeys(path, v, ["min", "max"]);
      const d = (defaults ?? {}) as { min?: number; max?: number };
      const min = number(`${path}.min`, v.min ?? d.min, (n) => n >= 1, "a finite number >= 1");
      const max = number(`${path}.max`, v.max ?? d.max, (n) => n >= 1, "a finite number >= 1");
      if (min > max) fail(path, `min (${min}) must be <= max (${max})`);
      return { min, max };
    }
    case "latency":
      return latency(path, v);
    case "boolean":
      if (typeof v !== "boolean") fail(path, `expected a boolean, got ${String(v)}`);
      return v;
    case "tags": {
      if (!isPlainObject(v)) fail(path, `expected an object of string tags, got ${String(v)}`);
      for (const [k, t] of Object.entries(v)) {
        if (typeof t !== "string") fail(`${path}.${k}`, `expected a string, got ${String(t)}`);
      }
      return { ...v };
    }
  }
}

/**
 * `input` (a partial config, possibly nested) merged onto `defaults`, every given field checked
 * against `schema`. Errors name the field as `path.to.field`.
 */
export function mergeChecked<T>(path: string, schema: Schema, defaults: T, input: unknown): T {
  if (isLeaf(schema)) return leaf(path, schema, input, defaults) as T;
  if (!isPlainObject(input)) fail(path, `expected an object, got ${input === null ? "null" : typeof input}`);
  checkKeys(path, input, Object.keys(schema));
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    out[key] = mergeChecked(`${path}.${key}`, schema[key]!, out[key], value);
  }
  return out as T;
}
