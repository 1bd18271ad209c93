const U64 = (1n << 64n) - 1n;
const LOW32 = 0xffff_ffffn;

/** Well-known token indexes (moonpool / FDB). `first` is all ones for a well-known UID. */
export const WellKnownToken = {
  EndpointNotFound: 0,
  Ping: 1,
  UnauthorizedEndpoint: 2,
  FirstAvailable: 3,
} as const;
export type WellKnownToken = (typeof WellKnownToken)[keyof typeof WellKnownToken];

/** Number of reserved well-known slots. */
export const WELL_KNOWN_RESERVED_COUNT = 64;

function u64(name: string, v: bigint | number): bigint {
  const b = typeof v === "bigint" ? v : BigInt(v);
  if (typeof v === "number" && !Number.isSafeInteger(v)) {
    throw new RangeError(`UID ${name} must be a safe integer or a bigint, got ${v}`);
  }
  if (b < 0n || b > U64) throw new RangeError(`UID ${name} out of u64 range: ${b}`);
  return b;
}

/**
 * A 128-bit identifier made of two unsigned 64-bit halves, exact as `bigint`s. Tokens of
 * endpoints are UIDs. Ordered by `first`, then `second`; `(0, 0)` is invalid ("no reply").
 *
 * @example
 * ```ts
 * const base = new UID(0x1000n, 0x2000n);
 * base.adjusted(1); // UID(0x1_0000_1000, 0x2001): the interface's second method
 * UID.wellKnown(WellKnownToken.Ping).isWellKnown(); // true
 * ```
 */
export class UID {
  readonly first: bigint;
  readonly second: bigint;

  constructor(first: bigint | number, second: bigint | number) {
    this.first = u64("first", first);
    this.second = u64("second", second);
  }

  /** The well-known UID for slot `index` (`first = 2^64 - 1`). */
  static wellKnown(index: number): UID {
    if (!Number.isInteger(index) || index < 0 || index >= WELL_KNOWN_RESERVED_COUNT) {
      throw new RangeError(`well-known index must be in [0, ${WELL_KNOWN_RESERVED_COUNT}), got ${index}`);
    }
    return new UID(U64, BigInt(index));
  }

  /** A random UID drawn from `bytes` (16 bytes from a RandomProvider). */
  static fromBytes(bytes: Uint8Array, offset = 0): UID {
    if (bytes.length - offset < 16) throw new RangeError("UID.fromBytes needs 16 bytes");
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 16);
    return new UID(view.getBigUint64(0, true), view.getBigUint64(8, true));
  }

  /** Parses the 32-hex-digit form written by `toString()`. */
  static parse(text: string): UID {
    if (!/^[0-9a-fA-F]{32}$/.test(text))
      throw new RangeError(`not a 32-hex-digit UID: ${JSON.stringify(text)}`);
    return new UID(BigInt(`0x${text.slice(0, 16)}`), BigInt(`0x${text.slice(16)}`));
  }

  /** The "no token" UID (0, 0). */
  static readonly NONE = new UID(0n, 0n);

  /** Not (0, 0). */
  isValid(): boolean {
    return this.first !== 0n || this.second !== 0n;
  }

  isWellKnown(): boolean {
    return this.first === U64;
  }

  /**
   * FDB's interface offset for method `i`: `first + (i << 32)` (wrapping) and the low 32 bits
   * of `second` plus `i` (wrapping within those 32 bits). `adjusted(0)` is the same UID.
   * An adjusted well-known base is no longer well-known.
   */
  adjusted(i: number): UID {
    if (!Number.isInteger(i) || i < 0 || i > 0xffff_ffff) {
      throw new RangeError(`adjusted(i) needs an integer in [0, 2^32), got ${i}`);
    }
    if (i === 0) return this;
    const n = BigInt(i);
    const first = (this.first + (n << 32n)) & U64;
    const second = (this.second & ~LOW32 & U64) | ((this.second + n) & LOW32);
    return new UID(first, second);
  }

  equals(other: UID): boolean {
    return this.first === other.first && this.second === other.second;
  }

  compare(other: UID): number {
    if (this.first !== other.first) return this.first < other.first ? -1 : 1;
    if (this.second !== other.second) return this.second < other.second ? -1 : 1;
    return 0;
  }

  /** 16 bytes: `first` LE then `second` LE (the wire layout). */
  toBytes(): Uint8Array {
    const out = new Uint8Array(16);
    const view = new DataView(out.buffer);
    view.setBigUint64(0, this.first, true);
    view.setBigUint64(8, this.second, true);
    return out;
  }

  /** 32 lowercase hex digits, usable as a map key. */
  toString(): string {
    return this.first.toString(16).padStart(16, "0") + this.second.toString(16).padStart(16, "0");
  }

  /** serde layout: `{ first, second }` with exact integers (bigints). */
  toJSON(): { first: bigint; second: bigint } {
    return { first: this.first, second: this.second };
  }
}
