import { CodecError, type MessageCodec } from "./Codec.ts";

// Tags of the self-describing binary format.
const T_NULL = 0;
const T_FALSE = 1;
const T_TRUE = 2;
const T_INT = 3; // zigzag varint, |n| < 2^52 (so the zigzag value stays a safe integer)
const T_FLOAT = 4; // f64 LE
const T_BIGINT = 5; // sign byte + varint magnitude byte length + LE magnitude
const T_STRING = 6; // varint byte length + UTF-8
const T_BYTES = 7; // varint length + bytes
const T_ARRAY = 8; // varint count + items
const T_OBJECT = 9; // varint count + (string key, value) pairs
const T_UNDEFINED = 10;

const ZIGZAG_LIMIT = 2 ** 52; // larger integers go as f64, which holds them exactly
const MAX_DEPTH = 256;
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder("utf-8", { fatal: true });

class Writer {
  buf = new Uint8Array(256);
  view = new DataView(this.buf.buffer);
  pos = 0;

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  varint(n: number): void {
    this.ensure(8);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  string(s: string): void {
    const encoded = textEncoder.encode(s);
    this.varint(encoded.length);
    this.bytes(encoded);
  }
}

/**
 * A compact self-describing binary codec over the same value model as {@link JsonCodec}
 * (including exact `bigint`s and raw `Uint8Array`s). Faster and smaller than JSON, but only
 * TypeScript peers read it.
 */
export class BinaryCodec implements MessageCodec {
  readonly name = "binary";

  encode(value: unknown): Uint8Array {
    const w = new Writer();
    try {
      write(w, value, 0);
    } catch (error) {
      if (error instanceof CodecError) throw error;
      throw new CodecError(this.name, "ENCODE", (error as Error).message, { cause: error });
    }
    return w.buf.slice(0, w.pos);
  }

  decode(bytes: Uint8Array): unknown {
    const r: Reader = { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.length), pos: 0 };
    let value: unknown;
    try {
      value = read(r, 0);
    } catch (error) {
      if (error instanceof CodecError) throw error;
      throw new CodecError(this.name, "DECODE", (error as Error).message, { cause: error });
    }
    if (r.pos !== bytes.length) fail(`${bytes.length - r.pos} trailing bytes`);
    return value;
  }
}

function write(w: Writer, value: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw new CodecError("binary", "ENCODE", `nesting deeper than ${MAX_DEPTH}`);
  switch (typeof value) {
    case "undefined":
      w.byte(T_UNDEFINED);
      return;
    case "boolean":
      w.byte(value ? T_TRUE : T_FALSE);
      return;
    case "number":
      if (Number.isSafeInteger(value) && Math.abs(value) < ZIGZAG_LIMIT && !Object.is(value, -0)) {
        w.byte(T_INT);
        w.varint(value < 0 ? -value * 2 - 1 : value * 2);
      } else {
        w.byte(T_FLOAT);
        w.ensure(8);
        w.view.setFloat64(w.pos, value, true);
        w.pos += 8;
      }
      return;
    case "bigint": {
      w.byte(T_BIGINT);
      const negative = value < 0n;
      let mag = negative ? -value : value;
      const digits: number[] = [];
      while (mag > 0n) {
        digits.push(Number(mag & 0xffn));
        mag >>= 8n;
      }
      w.byte(negative ? 1 : 0);
      w.varint(digits.length);
      w.bytes(Uint8Array.from(digits));
      return;
    }
    case "string":
      w.byte(T_STRING);
      w.string(value);
      return;
    case "object":
      break;
    default:
      throw new CodecError("binary", "ENCODE", `cannot encode a ${typeof value}`);
  }
  if (value === null) {
    w.byte(T_NULL);
    return;
  }
  if (value instanceof Uint8Array) {
    w.byte(T_BYTES);
    w.varint(value.length);
    w.bytes(value);
    return;
  }
  if (Array.isArray(value)) {
    w.byte(T_ARRAY);
    w.varint(value.length);
    for (const item of value) write(w, item, depth + 1);
    return;
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === "function") {
    write(w, withJson.toJSON(), depth + 1);
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  w.byte(T_OBJECT);
  w.varint(entries.length);
  for (const [k, v] of entries) {
    w.string(k);
    write(w, v, depth + 1);
  }
}

interface Reader {
  bytes: Uint8Array;
  view: DataView;
  pos: number;
}

function fail(message: string): never {
  throw new CodecError("binary", "DECODE", message);
}

function need(r: Reader, n: number): void {
  if (r.pos + n > r.bytes.length) fail(`truncated: need ${n} bytes at offset ${r.pos}`);
}

function readVarint(r: Reader): number {
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    need(r, 1);
    const b = r.bytes[r.pos++]!;
    result += (b & 0x7f) * scale;
    if (b < 0x80) {
      if (result > Number.MAX_SAFE_INTEGER) fail("varint out of range");
      return result;
    }
    scale *= 0x80;
  }
  return fail("varint too long");
}

function readString(r: Reader): string {
  const n = readVarint(r);
  need(r, n);
  const s = textDecoder.decode(r.bytes.subarray(r.pos, r.pos + n));
  r.pos += n;
  return s;
}

function read(r: Reader, depth: number): unknown {
  if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
  need(r, 1);
  const tag = r.bytes[r.pos++]!;
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
      const z = readVarint(r);
      return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    }
    case T_FLOAT: {
      need(r, 8);
      const v = r.view.getFloat64(r.pos, true);
      r.pos += 8;
      return v;
    }
    case T_BIGINT: {
      need(r, 1);
      const sign = r.bytes[r.pos++]!;
      if (sign > 1) fail("bad bigint sign");
      const n = readVarint(r);
      if (n > 1024) fail("bigint too large");
      need(r, n);
      let mag = 0n;
      for (let i = n - 1; i >= 0; i--) mag = (mag << 8n) | BigInt(r.bytes[r.pos + i]!);
      r.pos += n;
      return sign ? -mag : mag;
    }
    case T_STRING:
      return readString(r);
    case T_BYTES: {
      const n = readVarint(r);
      need(r, n);
      const b = r.bytes.slice(r.pos, r.pos + n);
      r.pos += n;
      return b;
    }
    case T_ARRAY: {
      const n = readVarint(r);
      if (n > r.bytes.length - r.pos) fail(`array count ${n} exceeds the remaining bytes`);
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = read(r, depth + 1);
      return out;
    }
    case T_OBJECT: {
      const n = readVarint(r);
      if (n > r.bytes.length - r.pos) fail(`field count ${n} exceeds the remaining bytes`);
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const key = readString(r);
        const value = read(r, depth + 1);
        // Never let a payload reach a prototype: `__proto__` fields are dropped.
        if (key === "__proto__") continue;
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    default:
      return fail(`unknown tag ${tag} at offset ${r.pos - 1}`);
  }
}
