/**
 * The small runtime the generated modules import (`@moonpool/codegen/runtime`): result types,
 * limits and error helpers of the validators, and the serve/client helpers. It uses only
 * `@moonpool/core` and transport's types, so generated code stays production code (no compiler,
 * no ts-morph).
 */

export type { f32, f64, i8, i16, i32, i64, ServiceRef, u8, u16, u32, u64 } from "../types.ts";

/** One problem found by a validator: `path` is like `req.items[3].qty`. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** What a generated `validateT` / `decodeT` returns. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ValidationIssue[] };

/** Options of the generated validators; every limit has a safe default. */
export interface ValidateOptions {
  /** Name of the value at the root of paths. Default `"value"` (`"req"`/`"resp"` for methods). */
  readonly root?: string;
  /** `"reject"`: fields a type does not declare are errors. Default `"allow"` (ignored; decoding drops them). */
  readonly unknownKeys?: "allow" | "reject";
  /** Deepest nesting of objects and arrays. Default 64. */
  readonly maxDepth?: number;
  /** Longest array (and most map entries). Default 100 000. */
  readonly maxArrayLength?: number;
  /** Longest string, in UTF-16 code units. Default 1 048 576. */
  readonly maxStringLength?: number;
  /** Longest byte string. Default 1 048 576. */
  readonly maxBytesLength?: number;
  /** Stop after this many errors. Default 20. */
  readonly maxErrors?: number;
}

/** @internal Resolved limits passed to the compiled checks. */
export interface Limits {
  readonly reject: boolean;
  readonly maxDepth: number;
  readonly maxArray: number;
  readonly maxString: number;
  readonly maxBytes: number;
  readonly maxErrors: number;
}

/** @internal The mutable issue list of one validation; paths are relative until {@link finish}. */
export type Issues = { path: string; message: string }[];

const DEFAULT_LIMITS: Limits = {
  reject: false,
  maxDepth: 64,
  maxArray: 100_000,
  maxString: 1_048_576,
  maxBytes: 1_048_576,
  maxErrors: 20,
};

function limit(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || v < 0)
    throw new RangeError(`options.${name}: expected a non-negative integer`);
  return v;
}

/** @internal */
export function limits(o: ValidateOptions | undefined): Limits {
  if (o === undefined) return DEFAULT_LIMITS;
  if (o.unknownKeys !== undefined && o.unknownKeys !== "allow" && o.unknownKeys !== "reject")
    throw new RangeError('options.unknownKeys: expected "allow" or "reject"');
  return {
    reject: o.unknownKeys === "reject",
    maxDepth: limit("maxDepth", o.maxDepth, DEFAULT_LIMITS.maxDepth),
    maxArray: limit("maxArrayLength", o.maxArrayLength, DEFAULT_LIMITS.maxArray),
    maxString: limit("maxStringLength", o.maxStringLength, DEFAULT_LIMITS.maxString),
    maxBytes: limit("maxBytesLength", o.maxBytesLength, DEFAULT_LIMITS.maxBytes),
    maxErrors: limit("maxErrors", o.maxErrors, DEFAULT_LIMITS.maxErrors),
  };
}

/** @internal A short description of what a value is, for "got ..." in messages. */
export function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (v instanceof Uint8Array) return "Uint8Array";
  const t = typeof v;
  if (t === "object") return "object";
  if (t === "string") return (v as string).length <= 32 ? `string ${JSON.stringify(v)}` : "string";
  if (t === "number") return Number.isFinite(v) ? `number ${v}` : `number ${String(v)}`;
  if (t === "bigint") return `bigint ${v}`;
  return t;
}

/** @internal Records "expected X, got Y". */
export function bad(e: Issues, path: string, expected: string, v: unknown): void {
  e.push({
    path,
    message: v === undefined ? `missing (expected ${expected})` : `expected ${expected}, got ${kind(v)}`,
  });
}

/** @internal Records a message. */
export function issue(e: Issues, path: string, message: string): void {
  e.push({ path, message });
}

/** @internal Prefixes the paths of the issues from index `from` (a nested check's errors). */
export function prefix(e: Issues, from: number, segment: string): void {
  for (let i = from; i < e.length; i++) e[i]!.path = segment + e[i]!.path;
}

/** @internal `.name` or `["odd key"]`. */
export function key(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}

/** @internal Turns the issue list into a result. */
export function finish<T>(e: Issues, value: unknown, root: string): ValidationResult<T> {
  if (e.length === 0) return { ok: true, value: value as T };
  return { ok: false, errors: e.map((i) => ({ path: root + i.path, message: i.message })) };
}

/** A value failed a generated validator (thrown by method decoders; the transport answers `Serialization`). */
export class ValidationError extends TypeError {
  override readonly name = "ValidationError";
  readonly errors: readonly ValidationIssue[];
  constructor(errors: readonly ValidationIssue[]) {
    super(errors.map((i) => `${i.path}: ${i.message}`).join("; "));
    this.errors = errors;
  }
}

/** @internal A throwing decoder for a method (transport's `decodeRequest`/`decodeResponse`). */
export function decoder<T>(
  check: (v: unknown, e: Issues, d: number, o: Limits) => unknown,
  root: string,
): (value: unknown) => T {
  return (value) => {
    const e: Issues = [];
    const out = check(value, e, 0, DEFAULT_LIMITS);
    if (e.length > 0) throw new ValidationError(e.map((i) => ({ path: root + i.path, message: i.message })));
    return out as T;
  };
}

/** @internal u64 bound (inclusive). */
export const U64_MAX = 18446744073709551615n;
/** @internal i64 bounds (inclusive). */
export const I64_MIN = -9223372036854775808n;
export const I64_MAX = 9223372036854775807n;

/** @internal A non-null, non-array object (the generated checks' object test). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export { type ClientTarget, clientOf, type ServeAt, type Serving, serverOf } from "./service.ts";
