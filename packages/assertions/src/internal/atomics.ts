// Atomic building blocks of the table: two-word 64-bit counters (a low word that carries into a
// high word, so counts go past 2^32 without BigInt atomics), spinlocks for the float64 fields,
// and the wait for a record another thread is publishing.

import { CLAIMING } from "./layout.ts";

const TWO_32 = 4294967296;

/** Reads a two-word counter (a torn read across a carry is off by at most 2^32, and rare). */
export function readCount(i32: Int32Array, lo: number): number {
  return (i32[lo]! >>> 0) + (i32[lo + 1]! >>> 0) * TWO_32;
}

/** Atomically adds one to a 64-bit counter kept as two words (low word carries into high). */
export function increment(i32: Int32Array, lo: number): void {
  if (Atomics.add(i32, lo, 1) === -1) Atomics.add(i32, lo + 1, 1);
}

/** Atomically adds `n` (a non-negative safe integer) to a two-word counter. */
export function add64(i32: Int32Array, lo: number, n: number): void {
  if (n <= 0) return;
  const low = n % TWO_32;
  let high = Math.floor(n / TWO_32);
  if (low !== 0) {
    const before = Atomics.add(i32, lo, low | 0) >>> 0;
    if (before + low >= TWO_32) high += 1;
  }
  if (high !== 0) Atomics.add(i32, lo + 1, high | 0);
}

export function lock(i32: Int32Array, word: number): void {
  while (Atomics.compareExchange(i32, word, 0, 1) !== 0) {
    // Spin: the critical sections are a handful of loads and stores.
  }
}

export function unlock(i32: Int32Array, word: number): void {
  Atomics.store(i32, word, 0);
}

export function waitReady(i32: Int32Array, word: number): void {
  while (Atomics.load(i32, word) === CLAIMING) {
    // Another thread is writing the record's identity; it publishes READY right after.
  }
}
