// The JSON codec's fast paths: a serializer that writes bigints as bare numbers itself (instead of
// native JSON.stringify with a replacer, which V8 runs slowly), and a parser that marks big
// integers with one scan, parses natively without a reviver and converts the marks in one walk.
// Anything unusual throws `Unusual`, and the caller takes the general path.

/** Thrown when a value or text needs the general path. */
export class Unusual extends Error {}
const UNUSUAL = new Unusual();

/** Deeper values go down the general path (which also reports cycles as JSON.stringify does). */
const MAX_DEPTH = 512;

/**
 * The JSON text of `value` as `JSON.stringify` would write it with the codec's replacer (toJSON
 * first, then `Uint8Array` as an array of numbers), with `bigint`s as bare integers; `undefined`
 * when the value has no JSON form. Throws `Unusual` for functions, symbols, non-finite numbers,
 * boxed primitives and very deep values.
 */
export function stringifyFast(value: unknown): string | undefined {
  return write(value, "", 0);
}

function write(value: unknown, key: string, depth: number): string | undefined {
  if (typeof value === "object" && value !== null) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") value = toJSON.call(value, key);
  } else if (typeof value === "bigint") {
    const toJSON = (value as unknown as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") throw UNUSUAL;
  }
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw UNUSUAL;
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "undefined":
      return undefined;
    case "object":
      break;
    default:
      throw UNUSUAL; // function, symbol: the general path reports them
  }
  if (value === null) return "null";
  if (depth >= MAX_DEPTH) throw UNUSUAL;
  if (value instanceof Uint8Array) {
    if (value.length === 0) return "[]";
    let out = `[${value[0]}`;
    for (let i = 1; i < value.length; i++) out += `,${value[i]}`;
    return `${out}]`;
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      out += write(value[i], String(i), depth + 1) ?? "null";
    }
    return `${out}]`;
  }
  if (
    value instanceof Number ||
    value instanceof String ||
    value instanceof Boolean ||
    value instanceof BigInt
  ) {
    throw UNUSUAL;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let out = "{";
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const item = write(record[k], k, depth + 1);
    if (item === undefined) continue;
    out += first ? `${JSON.stringify(k)}:${item}` : `,${JSON.stringify(k)}:${item}`;
    first = false;
  }
  return `${out}}`;
}

// A big integer travels through JSON.parse as this marker string, then becomes a bigint.
const MARK_PREFIX = '"\\u0000n';
const SIXTEEN_DIGITS = /\d{16}/;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Chars that make a digit run part of a float (or of another token) when just before it. */
function isNumberPrefix(c: number): boolean {
  return isDigit(c) || c === 46 /* . */ || c === 101 /* e */ || c === 69 /* E */ || c === 43 || c === 45;
}

/**
 * `text` with every integer of 16+ digits outside strings that is not a safe integer replaced by
 * a marker string; `null` when there is none.
 */
function markBigIntegers(text: string): string | null {
  if (!SIXTEEN_DIGITS.test(text)) return null;
  let out = "";
  let copied = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
      continue;
    }
    if (c !== 45 && !isDigit(c)) continue;
    const start = i;
    let end = c === 45 ? i + 1 : i;
    const digitsStart = end;
    while (end < n && isDigit(text.charCodeAt(end))) end++;
    i = end - 1;
    if (end - digitsStart < 16) continue;
    if (start > 0 && isNumberPrefix(text.charCodeAt(start - 1))) continue;
    const next = end < n ? text.charCodeAt(end) : 0;
    if (next === 46 || next === 101 || next === 69) continue; // a float
    const literal = text.slice(start, end);
    if (Number.isSafeInteger(Number(literal))) continue;
    out += `${text.slice(copied, start)}${MARK_PREFIX}${literal}"`;
    copied = end;
  }
  return copied === 0 ? null : out + text.slice(copied);
}

/** Turns marker strings into bigints and drops own `__proto__` keys, in place. */
function revive(value: unknown): unknown {
  if (typeof value === "string") {
    return value.charCodeAt(0) === 0 && value.charCodeAt(1) === 110 ? BigInt(value.slice(2)) : value;
  }
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, "__proto__")) Reflect.deleteProperty(record, "__proto__");
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const item = record[k];
    if (typeof item === "object" || typeof item === "string") record[k] = revive(item);
  }
  return record;
}

/**
 * Parses `text` with integers beyond 2^53 as `bigint`s and without `__proto__` own keys.
 * Throws `Unusual` when a string of the text holds an escaped NUL (it could pose as a marker).
 */
export function parseFast(text: string): unknown {
  if (text.includes("\\u0000")) throw UNUSUAL;
  const marked = markBigIntegers(text);
  const value = JSON.parse(marked ?? text) as unknown;
  // Without a reviver, JSON.parse keeps a `__proto__` key (however it is spelled) as an own key.
  if (marked === null && !text.includes("__proto__") && !text.includes("\\u")) return value;
  return revive(value);
}
