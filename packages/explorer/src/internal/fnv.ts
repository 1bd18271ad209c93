// 64-bit FNV-1a over numbers and strings, on BigInt (only at split points: rare).
const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

/** An incremental FNV-1a-64 hash. */
export class Fnv64 {
  private h = OFFSET;

  private byte(b: number): void {
    this.h = ((this.h ^ BigInt(b & 0xff)) * PRIME) & MASK;
  }

  /** Hashes a non-negative safe integer as 8 little-endian bytes. */
  u64(n: number): this {
    let v = BigInt(n);
    for (let i = 0; i < 8; i++) {
      this.byte(Number(v & 0xffn));
      v >>= 8n;
    }
    return this;
  }

  /** Hashes a string's UTF-8 bytes, then its length (so "ab"+"c" differs from "a"+"bc"). */
  text(s: string): this {
    for (const b of new TextEncoder().encode(s)) this.byte(b);
    return this.u64(s.length);
  }

  /** The 64-bit digest. */
  digest(): bigint {
    return this.h;
  }

  /** The low 53 bits: a non-negative safe integer (a seed). */
  safe(): number {
    return Number(this.h & 0x1fffffffffffffn);
  }
}
