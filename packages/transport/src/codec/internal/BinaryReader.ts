import { CodecError } from "../Codec.ts";
import {
  MAX_DEPTH,
  T_ARRAY,
  T_BIGINT,
  T_BYTES,
  T_FALSE,
  T_FLOAT,
  T_INT,
  T_NULL,
  T_OBJECT,
  T_STRING,
  T_TRUE,
  T_UNDEFINED,
} from "./binaryTags.ts";

/** Strings this short are read by a byte loop when ASCII (cheaper than a TextDecoder call). */
const SHORT_STRING = 32;
const textDecoder = new TextDecoder("utf-8", { fatal: true });

function fail(message: string): never {
  throw new CodecError("binary", "DECODE", message);
}

/** Reads one message of the binary format; every malformed input fails with a `CodecError`. */
export class BinaryReader {
  readonly #bytes: Uint8Array;
  #view: DataView | null = null;
  #pos = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** Fails unless every byte was read. */
  end(): void {
    if (this.#pos !== this.#bytes.length) fail(`${this.#bytes.length - this.#pos} trailing bytes`);
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    const bytes = this.#bytes;
    if (this.#pos >= bytes.length) this.#need(1);
    const tag = bytes[this.#pos++]!;
    switch (tag) {
      case T_NULL:
        return null;
      case T_UNDEFINED:
        return undefined;
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_INT: {
        const z = this.#varint();
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      case T_FLOAT: {
        this.#need(8);
        this.#view ??= new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
        const v = this.#view.getFloat64(this.#pos, true);
        this.#pos += 8;
        return v;
      }
      case T_BIGINT:
        return this.#bigint();
      case T_STRING:
        return this.#string();
      case T_BYTES: {
        const n = this.#varint();
        this.#need(n);
        const b = bytes.slice(this.#pos, this.#pos + n);
        this.#pos += n;
        return b;
      }
      case T_ARRAY: {
        const n = this.#varint();
        if (n > bytes.length - this.#pos) fail(`array count ${n} exceeds the remaining bytes`);
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) out[i] = this.value(depth + 1);
        return out;
      }
      case T_OBJECT: {
        const n = this.#varint();
        if (n > bytes.length - this.#pos) fail(`field count ${n} exceeds the remaining bytes`);
        const out: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const key = this.#string();
          const value = this.value(depth + 1);
          // Never let a payload reach a prototype: `__proto__` fields are dropped. Every other
          // key is a plain own data property (Object.prototype has no other setter).
          if (key === "__proto__") continue;
          out[key] = value;
        }
        return out;
      }
      default:
        return fail(`unknown tag ${tag} at offset ${this.#pos - 1}`);
    }
  }

  #need(n: number): void {
    if (this.#pos + n > this.#bytes.length) fail(`truncated: need ${n} bytes at offset ${this.#pos}`);
  }

  #varint(): number {
    const bytes = this.#bytes;
    // One-byte varints (lengths, counts, small integers) are the common case.
    if (this.#pos < bytes.length && bytes[this.#pos]! < 0x80) return bytes[this.#pos++]!;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      this.#need(1);
      const b = bytes[this.#pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) fail("varint out of range");
        return result;
      }
      scale *= 0x80;
    }
    return fail("varint too long");
  }

  #string(): string {
    const n = this.#varint();
    this.#need(n);
    const bytes = this.#bytes;
    const start = this.#pos;
    if (n <= SHORT_STRING) {
      let s = "";
      let i = start;
      const end = start + n;
      for (; i < end; i++) {
        const b = bytes[i]!;
        if (b >= 0x80) break;
        s += String.fromCharCode(b);
      }
      if (i === end) {
        this.#pos = end;
        return s;
      }
    }
    const s = textDecoder.decode(bytes.subarray(start, start + n));
    this.#pos = start + n;
    return s;
  }

  #bigint(): bigint {
    this.#need(1);
    const bytes = this.#bytes;
    const sign = bytes[this.#pos++]!;
    if (sign > 1) fail("bad bigint sign");
    const n = this.#varint();
    if (n > 1024) fail("bigint too large");
    this.#need(n);
    const p = this.#pos;
    let mag: bigint;
    if (n <= 6) {
      // Below 2^48: exact as a number, one conversion.
      let x = 0;
      for (let i = n - 1; i >= 0; i--) x = x * 256 + bytes[p + i]!;
      mag = BigInt(x);
    } else if (n <= 8) {
      const lo = (bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24)) >>> 0;
      let hi = 0;
      for (let i = n - 1; i >= 4; i--) hi = hi * 256 + bytes[p + i]!;
      mag = (BigInt(hi) << 32n) | BigInt(lo);
    } else {
      mag = 0n;
      for (let i = n - 1; i >= 0; i--) mag = (mag << 8n) | BigInt(bytes[p + i]!);
    }
    this.#pos = p + n;
    return sign ? -mag : mag;
  }
}
