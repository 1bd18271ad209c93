import { isInteger, isSafeNumber, parse, stringify } from "lossless-json";
import { CodecError, type MessageCodec } from "./Codec.ts";

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
const MARKER_RE = /"\\u0000n(-?\d+)"(?!:)/g;
const BIG_OR_STRING_RE = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;

class NeedsSlowPath extends Error {}

function fastReplacer(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === "bigint") return MARKER + value.toString();
  if (typeof value === "string" && value.startsWith(MARKER)) throw new NeedsSlowPath();
  return replacer.call(this, key, value);
}

function fastReviver(this: unknown, key: string, value: unknown): unknown {
  if (key === "__proto__") return undefined;
  if (typeof value === "string" && value.startsWith(MARKER)) return BigInt(value.slice(2));
  return value;
}

function fastStringify(value: unknown): string | undefined {
  const text = JSON.stringify(value, fastReplacer);
  return text === undefined || !text.includes(ESCAPED_MARKER) ? text : text.replace(MARKER_RE, "$1");
}

function fastParse(text: string): unknown {
  let marked = false;
  let slow = false;
  const rewritten = text.replace(BIG_OR_STRING_RE, (m) => {
    if (m.charCodeAt(0) === 34 /* " */) {
      if (m.includes(ESCAPED_MARKER)) slow = true;
      return m;
    }
    if (Number.isSafeInteger(Number(m))) return m;
    marked = true;
    return `"${ESCAPED_MARKER}${m}"`;
  });
  if (slow) throw new NeedsSlowPath();
  // Without a reviver, native JSON.parse keeps a `__proto__` key as an own property (a hazard
  // for later `Object.assign`); the key may also be spelled with escapes ("\u005f_proto__").
  if (!marked && !text.includes("__proto__") && !text.includes("\\u")) return JSON.parse(text);
  return JSON.parse(rewritten, fastReviver);
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
        text = fastStringify(value);
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
        return fastParse(text);
      } catch (error) {
        if (!(error instanceof NeedsSlowPath)) throw error;
        return parse(text, reviver as (key: string, value: unknown) => unknown, parseNumber);
      }
    } catch (error) {
      throw new CodecError(this.name, "DECODE", (error as Error).message, { cause: error });
    }
  }
}
