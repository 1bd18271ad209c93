// A small incremental 64-bit string digest (two independent 32-bit lanes). Pure JavaScript so
// it is identical in every process and on every host; it is not cryptographic, it only has to
// make accidental collisions between two different traces vanishingly unlikely.

/** Incremental digest of a sequence of strings and numbers. */
export class Digest {
  private a = 0x811c9dc5 | 0;
  private b = 0x9e3779b9 | 0;

  /** Adds a string, followed by a separator so ("ab","c") and ("a","bc") differ. */
  text(value: string): this {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    // separator
    a = Math.imul(a ^ 0x1f, 0x01000193);
    b = Math.imul(b ^ 0x1f, 0x5bd1e995);
    b ^= b >>> 15;
    this.a = a;
    this.b = b;
    return this;
  }

  /** Adds a number (written in its shortest decimal form). */
  number(value: number): this {
    return this.text(String(value));
  }

  /** 16 lowercase hex digits. */
  hex(): string {
    // final avalanche so nearby inputs spread over every bit
    let a = this.a ^ (this.b >>> 7);
    let b = this.b ^ (this.a << 9);
    a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
    a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
    a ^= a >>> 16;
    b = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
    b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
    b ^= b >>> 16;
    return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
  }
}
