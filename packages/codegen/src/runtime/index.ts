/**
 * The small runtime the generated modules import (`@moonpool/codegen/runtime`): result types,
 * limits and error helpers of the validators, and the serve/client helpers. It uses only
 * `@moonpool/core` and transport's types, so generated code stays production code (no compiler,
 * no ts-morph).
 */

import type { DecodeLimits, ValidateOptions } from "./options.ts";

export type { f32, f64, i8, i16, i32, i64, ServiceRef, u8, u16, u32, u64 } from "../types.ts";
export type { DecodeLimits, ValidateOptions } from "./options.ts";

/** One problem found by a validator: `path` is like `req.items[3].qty`. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** What a generated `validateT` / `decodeT` returns. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ValidationIssue[] };

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

function limit(at: string, name: string, v: number | undefined, fallback: number, min = 0): number {
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || v < min)
    throw new RangeError(`${at}.${name}: expected a ${min > 0 ? "positive" : "non-negative"} integer`);
  return v;
}

/** @internal Resolves validator options; `at` names them in errors (`options`, `limits`). */
export function limits(o: DecodeLimits | undefined, at = "options"): Limits {
  if (o === undefined) return DEFAULT_LIMITS;
  if (typeof o !== "object" || o === null) throw new RangeError(`${at}: expected an object`);
  if (o.unknownKeys !== undefined && o.unknownKeys !== "allow" && o.unknownKeys !== "reject")
    throw new RangeError(`${at}.unknownKeys: expected "allow" or "reject"`);
  return {
    reject: o.unknownKeys === "reject",
    maxDepth: limit(at, "maxDepth", o.maxDepth, DEFAULT_LIMITS.maxDepth),
    maxArray: limit(at, "maxArrayLength", o.maxArrayLength, DEFAULT_LIMITS.maxArray),
    maxString: limit(at, "maxStringLength", o.maxStringLength, DEFAULT_LIMITS.maxString),
    maxBytes: limit(at, "maxBytesLength", o.maxBytesLength, DEFAULT_LIMITS.maxBytes),
    // At least 1: the checks stop an array or map once this many errors are recorded.
    maxErrors: limit(at, "maxErrors", o.maxErrors, DEFAULT_LIMITS.maxErrors, 1),
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

/** @internal A generated fast path: whether `v` is valid at depth `d` under `o`, with no allocation. */
export type FastCheck = (v: unknown, d: number, o: Limits) => boolean;
/** @internal A generated check or wire decoder: records problems in `e`; a decoder returns the value. */
export type Check = (v: unknown, e: Issues, d: number, o: Limits) => unknown;

/** What a generated `validateT` or `decodeT` is. */
export type Validator<T> = (value: unknown, options?: ValidateOptions) => ValidationResult<T>;

/**
 * @internal A generated `validateT`: the fast path decides, and only a refused value is checked
 * again by `check` to say where and why.
 */
export function validator<T>(is: FastCheck, check: Check): Validator<T> {
  return (value, options) => {
    const o = limits(options);
    if (is(value, 0, o)) return { ok: true, value: value as T };
    const e: Issues = [];
    check(value, e, 0, o);
    return finish(e, value, options?.root ?? "value");
  };
}

/**
 * @internal The limits a generated `validateT` checks under. Small on purpose: V8 inlines it, and
 * the call without options (the common one) never reaches `limits`, which it does not inline.
 */
export function validationLimits(options: ValidateOptions | undefined): Limits {
  return options === undefined ? DEFAULT_LIMITS : limits(options);
}

/** @internal A generated `validateT` after its fast path refused `value`: every problem, with its path. */
export function refusal<T>(
  value: unknown,
  check: Check,
  o: Limits,
  options: ValidateOptions | undefined,
): ValidationResult<T> {
  const e: Issues = [];
  check(value, e, 0, o);
  return finish(e, value, options?.root ?? "value");
}

/** @internal The `encodeT` of a type whose wire form is its in-memory form. */
export function asWire(value: unknown): unknown {
  return value;
}

/** @internal A generated `decodeT`: the wire decoder `read` checks and builds the value. */
export function wireDecoder<T>(read: Check): Validator<T> {
  return (wire, options) => {
    const e: Issues = [];
    const value = read(wire, e, 0, limits(options));
    return finish(e, value, options?.root ?? "value");
  };
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

/**
 * @internal A throwing decoder for a method (transport's `decodeRequest`/`decodeResponse`), with
 * `options` resolved once (a bad one throws here, naming `limits.<option>`).
 */
export function decoder<T>(check: Check, root: string, options?: DecodeLimits): (value: unknown) => T {
  const o = limits(options, "limits");
  return (value) => {
    const e: Issues = [];
    const out = check(value, e, 0, o);
    if (e.length > 0) throw new ValidationError(e.map((i) => ({ path: root + i.path, message: i.message })));
    return out as T;
  };
}

/** @internal u64 bound (inclusive). */
export const U64_MAX = 18446744073709551615n;
/** @internal i64 bounds (inclusive). */
export const I64_MIN = -9223372036854775808n;
export const I64_MAX = 9223372036854775807n;

/** @internal Whether every own key of `v` is one of `allowed` (unknown keys rejected). */
export function onlyKeys(v: object, allowed: readonly string[]): boolean {
  for (const k of Object.keys(v)) if (!allowed.includes(k)) return false;
  return true;
}

/** @internal A non-null, non-array object (the generated checks' object test). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export {
  type ClientTarget,
  clientFor,
  clientOf,
  type ServeAt,
  type Serving,
  serverOf,
  serving,
} from "./service.ts";
