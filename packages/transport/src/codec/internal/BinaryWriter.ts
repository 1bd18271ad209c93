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
  ZIGZAG_LIMIT,
} from "./binaryTags.ts";

const INITIAL_BYTES = 1024;
/** A buffer grown past this by one big message is dropped after it, not kept for good. */
const KEEP_BYTES = 64 * 1024;
/** Strings this short are written by a char loop (cheaper than a TextEncoder call). */
const SHORT_STRING = 64;
const U64_MAX = (1n << 64n) - 1n;
const LOW_32 = 0xffff_ffffn;
const textEncoder = new TextEncoder();

/** Bytes of the LEB128 varint of a safe integer `n >= 0`. */
function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

/** Bytes needed for `x` (an unsigned 32-bit integer), 0 for 0. */
function byteCount32(x: number): number {
  return x === 0 ? 0 : x < 0x100 ? 1 : x < 0x1_0000 ? 2 : x < 0x100_0000 ? 3 : 4;
}

/**
 * Writes the binary format into one growing buffer, field by field, without allocating per
 * field; `finish()` copies the message out and rewinds for the next one.
 */
export class BinaryWriter {
  #buf = new Uint8Array(INITIAL_BYTES);
  #view: DataView | null = null;
  #pos = 0;

  /** The message written so far (a copy), and the writer rewound. */
  finish(): Uint8Array {
    const out = this.#buf.slice(0, this.#pos);
    this.abandon();
    return out;
  }

  /** Rewinds (after an error too), shrinking a buffer one big message grew. */
  abandon(): void {
    this.#pos = 0;
    if (this.#buf.length > KEEP_BYTES) {
      this.#buf = new Uint8Array(INITIAL_BYTES);
      this.#view = null;
    }
  }

  value(value: unknown, depth: number): void {
    if (depth > MAX_DEPTH) throw new CodecError("binary", "ENCODE", `nesting deeper than ${MAX_DEPTH}`);
    switch (typeof value) {
      case "undefined":
        this.#byte(T_UNDEFINED);
        return;
      case "boolean":
        this.#byte(value ? T_TRUE : T_FALSE);
        return;
      case "number":
        this.#number(value);
        return;
      case "bigint":
        this.#bigint(value);
        return;
      case "string":
        this.#ensure(1);
        this.#buf[this.#pos++] = T_STRING;
        this.#string(value);
        return;
      case "object":
        break;
      default:
        throw new CodecError("binary", "ENCODE", `cannot encode a ${typeof value}`);
    }
    if (value === null) {
      this.#byte(T_NULL);
      return;
    }
    if (value instanceof Uint8Array) {
      const n = value.length;
      this.#ensure(11 + n);
      this.#buf[this.#pos++] = T_BYTES;
      this.#varint(n);
      this.#buf.set(value, this.#pos);
      this.#pos += n;
      return;
    }
    if (Array.isArray(value)) {
      this.#ensure(11);
      this.#buf[this.#pos++] = T_ARRAY;
      this.#varint(value.length);
      for (let i = 0; i < value.length; i++) this.value(value[i], depth + 1);
      return;
    }
    const withJson = value as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === "function") {
      this.value(withJson.toJSON(), depth + 1);
      return;
    }
    this.#object(value as Record<string, unknown>, depth);
  }

  #object(value: Record<string, unknown>, depth: number): void {
    const keys = Object.keys(value);
    if (keys.length >= 0x80) {
      // The count of defined fields may need more than one varint byte: count them first
      // (reading each field once, as Object.entries does).
      const entries = Object.entries(value).filter(([, v]) => v !== undefined);
      this.#ensure(11);
      this.#buf[this.#pos++] = T_OBJECT;
      this.#varint(entries.length);
      for (const [k, v] of entries) {
        this.#string(k);
        this.value(v, depth + 1);
      }
      return;
    }
    // Fewer than 128 fields: the count is one byte, written once the defined ones are known.
    this.#ensure(2);
    this.#buf[this.#pos++] = T_OBJECT;
    const countAt = this.#pos++;
    let count = 0;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const v = value[k];
      if (v === undefined) continue;
      count++;
      this.#string(k);
      this.value(v, depth + 1);
    }
    this.#buf[countAt] = count;
  }

  #number(value: number): void {
    this.#ensure(9);
    if (Number.isSafeInteger(value) && Math.abs(value) < ZIGZAG_LIMIT && !Object.is(value, -0)) {
      this.#buf[this.#pos++] = T_INT;
      this.#varint(value < 0 ? -value * 2 - 1 : value * 2);
    } else {
      this.#buf[this.#pos++] = T_FLOAT;
      this.#dataView().setFloat64(this.#pos, value, true);
      this.#pos += 8;
    }
  }

  #bigint(value: bigint): void {
    const negative = value < 0n;
    const mag = negative ? -value : value;
    if (mag > U64_MAX) {
      this.#wideBigint(mag, negative);
      return;
    }
    // Up to 8 magnitude bytes: split into two 32-bit numbers rather than shifting byte by byte.
    const lo = Number(mag & LOW_32);
    const hi = Number(mag >> 32n);
    const count = hi === 0 ? byteCount32(lo) : 4 + byteCount32(hi);
    this.#ensure(3 + count);
    const buf = this.#buf;
    let p = this.#pos;
    buf[p++] = T_BIGINT;
    buf[p++] = negative ? 1 : 0;
    buf[p++] = count;
    for (let i = 0, x = lo; i < count && i < 4; i++, x >>>= 8) buf[p++] = x & 0xff;
    for (let i = 4, x = hi; i < count; i++, x >>>= 8) buf[p++] = x & 0xff;
    this.#pos = p;
  }

  #wideBigint(mag: bigint, negative: boolean): void {
    let count = 0;
    for (let m = mag; m > 0n; m >>= 8n) count++;
    this.#ensure(12 + count);
    this.#buf[this.#pos++] = T_BIGINT;
    this.#buf[this.#pos++] = negative ? 1 : 0;
    this.#varint(count);
    for (let m = mag; m > 0n; m >>= 8n) this.#buf[this.#pos++] = Number(m & 0xffn);
  }

  /** A varint byte length and the UTF-8 bytes of `s`. */
  #string(s: string): void {
    const len = s.length;
    if (len < SHORT_STRING) {
      // ASCII is written straight from the char codes (its length fits the one-byte varint).
      this.#ensure(1 + len);
      const buf = this.#buf;
      const start = this.#pos + 1;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === len) {
        buf[this.#pos] = len;
        this.#pos = start + len;
        return;
      }
    }
    // UTF-8 takes at most 3 bytes per UTF-16 unit: reserve the varint of that bound, encode in
    // place, then move the bytes left if the real length has a shorter varint.
    const max = len * 3;
    const reserve = varintSize(max);
    this.#ensure(reserve + max);
    const at = this.#pos + reserve;
    const { written } = textEncoder.encodeInto(s, this.#buf.subarray(at));
    const size = varintSize(written);
    if (size < reserve) this.#buf.copyWithin(this.#pos + size, at, at + written);
    this.#varint(written);
    this.#pos += written;
  }

  #byte(b: number): void {
    this.#ensure(1);
    this.#buf[this.#pos++] = b;
  }

  /** LEB128 of a safe integer `n >= 0`; the caller has ensured room (at most 8 bytes). */
  #varint(n: number): void {
    const buf = this.#buf;
    if (n < 0x8000_0000) {
      while (n >= 0x80) {
        buf[this.#pos++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
    } else {
      while (n >= 0x80) {
        buf[this.#pos++] = (n % 0x80) | 0x80;
        n = Math.floor(n / 0x80);
      }
    }
    buf[this.#pos++] = n;
  }

  #ensure(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#pos + n));
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
    this.#view = null;
  }

  #dataView(): DataView {
    this.#view ??= new DataView(this.#buf.buffer);
    return this.#view;
  }
}
