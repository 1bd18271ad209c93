import { randomFillSync, randomInt } from "node:crypto";
import { InvalidArgumentError } from "../errors.ts";
import type { RandomProvider } from "../Random.ts";
import { checkCount, checkIntRange, checkProbability } from "../validate.ts";

const POOL_BYTES = 4096;
/** Larger `bytes(n)` draws fill their own buffer. */
const POOL_SLICE_MAX = 256;
/** `crypto.randomInt` accepts ranges up to 2^48 - 1. */
const RANDOM_INT_MAX_RANGE = 2 ** 48 - 1;
const TWO_POW_53 = 2 ** 53;

/**
 * Cryptographically strong randomness (`node:crypto`). Draws come from a refilled pool of random
 * bytes, so `random()` and `bool()` do not make a system call each.
 *
 * @example
 * ```ts
 * const random = new NodeRandomProvider();
 * random.int(1, 7); // a die roll
 * random.pick(["a", "b"]);
 * ```
 */
export class NodeRandomProvider implements RandomProvider {
  readonly #pool = new Uint8Array(POOL_BYTES);
  readonly #view = new DataView(this.#pool.buffer);
  #offset = POOL_BYTES;

  random(): number {
    if (this.#offset + 8 > POOL_BYTES) {
      randomFillSync(this.#pool);
      this.#offset = 0;
    }
    const high = this.#view.getUint32(this.#offset) >>> 5; // 27 bits
    const low = this.#view.getUint32(this.#offset + 4) >>> 6; // 26 bits
    this.#offset += 8;
    return (high * 2 ** 26 + low) / TWO_POW_53;
  }

  int(min: number, maxExclusive: number): number {
    checkIntRange(min, maxExclusive);
    const range = maxExclusive - min;
    if (range <= RANDOM_INT_MAX_RANGE) return min + randomInt(range);
    // Wider ranges (up to 2^54 between two safe integers): rejection sampling on 64-bit draws.
    const span = BigInt(maxExclusive) - BigInt(min);
    const limit = (1n << 64n) - ((1n << 64n) % span);
    const buf = new BigUint64Array(1);
    for (;;) {
      randomFillSync(buf);
      const draw = buf[0]!;
      if (draw < limit) return Number(BigInt(min) + (draw % span));
    }
  }

  bool(p = 0.5): boolean {
    checkProbability("p", p);
    if (p === 0) return false;
    if (p === 1) return true;
    return this.random() < p;
  }

  bytes(n: number): Uint8Array {
    checkCount("n", n);
    // Small draws (request ids, nonces) come from the pool: one system call per 4 KiB, not per id.
    if (n > POOL_SLICE_MAX) return randomFillSync(new Uint8Array(n));
    if (this.#offset + n > POOL_BYTES) {
      randomFillSync(this.#pool);
      this.#offset = 0;
    }
    const out = this.#pool.slice(this.#offset, this.#offset + n);
    this.#offset += n;
    return out;
  }

  pick<T>(items: readonly T[]): T {
    if (!Array.isArray(items) || items.length === 0) {
      throw new InvalidArgumentError("items", "expected a non-empty array");
    }
    return items[this.int(0, items.length)]!;
  }
}
