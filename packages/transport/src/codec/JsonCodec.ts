import { isInteger, isSafeNumber, parse, stringify } from "lossless-json";
import { CodecError, type MessageCodec } from "./Codec.ts";
import { parseFast, stringifyFast, Unusual } from "./internal/jsonFast.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

// Integers beyond 2^53 become bigints so 64-bit tokens survive exactly; everything else is a
// plain number (serde_json writes u64 as a bare JSON number).
function parseNumber(text: string): number | bigint {
  if (isInteger(text) && !isSafeNumber(text)) return BigInt(text);
  return Number.parseFloat(text);
}

function reviver(this: unknown, key: string, value: unknown): unknown {
  return key === "__proto__" ? undefined : value;
}

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Array.from(value); // serde's Vec<u8>
  if (typeof value === "function" || typeof value === "symbol") {
    throw new TypeError(`cannot encode a ${typeof value} (field ${JSON.stringify(_key)})`);
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new TypeError(`cannot encode the number ${value} in JSON`);
  }
  return value;
}

// Fast path: native JSON with 64-bit integers smuggled through marker strings. A marker is a
// string starting with NUL + "n"; any real string that could be confused with one (seen by the
// replacer, or an escaped NUL in the text) sends the message down the lossless-json path.
const MARKER = "\u0000n";
const ESCAPED_MARKER = "\\u0000n";
// A marker is a value: after ":", "," or "[" (or the whole text), never a key. A quote inside a
// string is escaped, so a string holding a quote, NUL and "n" can never match.
const MARKER_RE = /(?<=^|[:,[])"\\u0000n(-?\d+)"(?!:)/g;

class NeedsSlowPath extends Error {}

function fastReplacer(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === "bigint") return MARKER + value.toString();
  if (typeof value === "string" && value.startsWith(MARKER)) throw new NeedsSlowPath();
  return replacer.call(this, key, value);
}

function fastStringify(value: unknown): string | undefined {
  const text = JSON.stringify(value, fastReplacer);
  return text === undefined || !text.includes(ESCAPED_MARKER) ? text : text.replace(MARKER_RE, "$1");
}

// The fastest path first (internal/jsonFast.ts). What it leaves aside is encoded natively with
// marker strings (or by lossless-json when a string could pose as a marker) and decoded by
// lossless-json.
function stringifyOrUnusual(value: unknown): string | undefined {
  try {
    return stringifyFast(value);
  } catch (error) {
    if (!(error instanceof Unusual)) throw error;
    return fastStringify(value);
  }
}

function parseOrUnusual(text: string): unknown {
  try {
    return parseFast(text);
  } catch (error) {
    if (error instanceof Unusual) throw new NeedsSlowPath();
    throw error;
  }
}

/**
 * JSON in moonpool's serde layout (its default codec): `bigint`s are written as bare numbers and
 * integers above 2^53 are read back as `bigint`s (via lossless-json), so `UID`s stay exact and a
 * Rust moonpool peer reads the same bytes. `Uint8Array` is written as an array of numbers.
 *
 * @example
 * ```ts
 * const c = new JsonCodec();
 * new TextDecoder().decode(c.encode({ token: new UID(2n ** 64n - 1n, 1n) }));
 * // {"token":{"first":18446744073709551615,"second":1}}
 * ```
 */
export class JsonCodec implements MessageCodec {
  readonly name = "json";

  encode(value: unknown): Uint8Array {
    let text: string | undefined;
    try {
      try {
        text = stringifyOrUnusual(value);
      } catch (error) {
        if (!(error instanceof NeedsSlowPath)) throw error;
        text = stringify(value, replacer as (key: string, value: unknown) => unknown);
      }
    } catch (error) {
      throw new CodecError(this.name, "ENCODE", (error as Error).message, { cause: error });
    }
    if (text === undefined) throw new CodecError(this.name, "ENCODE", "value has no JSON representation");
    return encoder.encode(text);
  }

  decode(bytes: Uint8Array): unknown {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch (error) {
      throw new CodecError(this.name, "DECODE", "payload is not valid UTF-8", { cause: error });
    }
    try {
      try {
        return parseOrUnusual(text);
      } catch (error) {
        if (!(error instanceof NeedsSlowPath)) throw error;
        return parse(text, reviver as (key: string, value: unknown) => unknown, parseNumber);
      }
    } catch (error) {
      throw new CodecError(this.name, "DECODE", (error as Error).message, { cause: error });
    }
  }
}
