// The accounting table: one fixed-size record per assertion (message -> slot by hashing with
// linear probing) and one per sometimesEach bucket. It lives in a SharedArrayBuffer when the
// host has one, so worker threads can attach to the same table; every counter and latch is
// updated with Atomics. Each thread keeps its own message -> slot cache, flushed whenever the
// table's generation changes (a clear).

import { add64, increment, lock, readCount, unlock, waitReady } from "./internal/atomics.ts";
import { fnv1a32, fromUtf8, mix32, secondHash, utf8 } from "./internal/hash.ts";
import {
  B_HASH_A,
  B_HASH_B,
  B_HITS_LO,
  B_LABEL,
  B_LABEL_LENGTH,
  B_LOCK,
  B_QUALITY,
  B_QUALITY_COUNT,
  B_SEEN,
  B_SITE,
  B_STATE,
  bucketWords,
  CLAIMING,
  EMPTY,
  H_BUCKET_CAPACITY,
  H_BUCKET_OVERFLOW,
  H_BUCKETS_USED,
  H_DISCOVERIES,
  H_GENERATION,
  H_LABEL_BYTES,
  H_MAGIC,
  H_MESSAGE_BYTES,
  H_SLOT_CAPACITY,
  H_SLOT_OVERFLOW,
  H_SLOTS_USED,
  H_VERSION,
  H_VIOLATIONS,
  HEADER_WORDS,
  LAYOUT_VERSION,
  MAGIC,
  MAX_QUALITY,
  READY,
  S_EVER_PASS,
  S_FAIL_LO,
  S_FIRST_FAIL,
  S_FIRST_PASS,
  S_FRONTIER,
  S_HASH_A,
  S_HASH_B,
  S_KIND,
  S_LOCK,
  S_MESSAGE,
  S_MESSAGE_LENGTH,
  S_PASS_LO,
  S_STATE,
  S_WATERMARK,
  S_WATERMARK_SET,
  S_WIDTH,
  slotWords,
} from "./internal/layout.ts";
import { type AssertionKind, kindCode, kindFromCode } from "./kinds.ts";
import { type AssertionTableOptions, assertionTableBytes, resolveSizes } from "./table-sizes.ts";

export type { AssertionTableOptions } from "./table-sizes.ts";
export { assertionTableBytes } from "./table-sizes.ts";

/** One assertion as read from the table. */
export interface SlotSnapshot {
  index: number;
  /** The full message when this thread knows it, else the stored (maybe truncated) text. */
  message: string;
  kind: AssertionKind;
  pass: number;
  fail: number;
  /** Best margin `left - right` seen (numeric kinds), if any was recorded. */
  watermark?: number;
  /** sometimesAll: most conditions true at once. */
  frontier: number;
  /** sometimesAll: most conditions given in one call; sometimesEach: buckets discovered. */
  width: number;
}

/** One sometimesEach bucket as read from the table. */
export interface BucketSnapshot {
  index: number;
  /** Slot index of its sometimesEach site. */
  site: number;
  /** Canonical identity keys, e.g. `floor=3, room=7`. */
  label: string;
  hits: number;
  /** Best quality vector seen (first key most significant), or undefined without quality keys. */
  bestQuality?: number[];
}

/** Result of looking a bucket up. `index` is -1 when the table is full. */
export interface BucketLookup {
  index: number;
  /** True when this call created the bucket (a discovery). */
  created: boolean;
}

/** {@link AssertionTable.offerWatermark}: the watermark did not move. */
export const WATERMARK_KEPT = 0;
/** {@link AssertionTable.offerWatermark}: the first value set the watermark. */
export const WATERMARK_FIRST = 1;
/** {@link AssertionTable.offerWatermark}: the value beat the previous watermark. */
export const WATERMARK_IMPROVED = 2;
/** {@link AssertionTable.recordPass}: not the first pass (since the run start or the last re-arm). */
export const NOT_FIRST = 0;
/** {@link AssertionTable.recordPass}: the first pass of the run. */
export const FIRST_PASS = 1;
/** {@link AssertionTable.recordPass}: the first pass since the last re-arm, not of the run. */
export const FIRST_PASS_AGAIN = 2;

/**
 * The accounting table over an `ArrayBuffer` or `SharedArrayBuffer`. Create one with
 * {@link createAssertionTable}; make it the process's table with `installAssertionTable`.
 */
export class AssertionTable {
  /** The memory holding the table; post it to a worker to share the table. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly slotCapacity: number;
  readonly bucketCapacity: number;
  readonly messageBytes: number;
  readonly labelBytes: number;
  readonly #i32: Int32Array;
  readonly #f64: Float64Array;
  readonly #u8: Uint8Array;
  readonly #slotWords: number;
  readonly #bucketWords: number;
  readonly #bucketsStart: number;
  #generation = -1;
  readonly #slotByMessage = new Map<string, number>();
  readonly #messageBySlot = new Map<number, string>();
  readonly #bucketsBySite = new Map<number, Map<string, number>>();

  /** Use {@link createAssertionTable}. */
  constructor(buffer: ArrayBuffer | SharedArrayBuffer) {
    this.buffer = buffer;
    this.#i32 = new Int32Array(buffer);
    this.#f64 = new Float64Array(buffer, 0, Math.floor(buffer.byteLength / 8));
    this.#u8 = new Uint8Array(buffer);
    const h = this.#i32;
    if (h[H_MAGIC] !== MAGIC || h[H_VERSION] !== LAYOUT_VERSION) {
      throw new TypeError("buffer does not hold an assertion table of this layout version");
    }
    this.slotCapacity = h[H_SLOT_CAPACITY]!;
    this.bucketCapacity = h[H_BUCKET_CAPACITY]!;
    this.messageBytes = h[H_MESSAGE_BYTES]!;
    this.labelBytes = h[H_LABEL_BYTES]!;
    this.#slotWords = slotWords(this.messageBytes);
    this.#bucketWords = bucketWords(this.labelBytes);
    this.#bucketsStart = HEADER_WORDS + this.slotCapacity * this.#slotWords;
  }

  /** True when the table lives in shared memory (other threads may attach to it). */
  get shared(): boolean {
    return typeof SharedArrayBuffer === "function" && this.buffer instanceof SharedArrayBuffer;
  }

  /** Bumped by every {@link clear}; caches built over the table key on it. */
  get generation(): number {
    return this.#i32[H_GENERATION]!;
  }

  /** Drops this thread's caches if the table was cleared since they were filled. */
  #sync(): void {
    const g = this.#i32[H_GENERATION]!;
    if (g !== this.#generation) {
      this.#generation = g;
      this.#slotByMessage.clear();
      this.#messageBySlot.clear();
      this.#bucketsBySite.clear();
    }
  }

  #slotBase(index: number): number {
    return HEADER_WORDS + index * this.#slotWords;
  }

  #bucketBase(index: number): number {
    return this.#bucketsStart + index * this.#bucketWords;
  }

  /**
   * The slot of `message`, allocating it with `kind` on first use; -1 when the table is full
   * (counted in {@link overflow}). A slot keeps the kind it was allocated with.
   */
  slotFor(message: string, kind: AssertionKind): number {
    this.#sync();
    const cached = this.#slotByMessage.get(message);
    if (cached !== undefined) return cached;
    const bytes = utf8(message);
    const index = this.#findOrClaimSlot(bytes, kindCode(kind));
    if (index >= 0) {
      this.#slotByMessage.set(message, index);
      this.#messageBySlot.set(index, message);
    } else {
      Atomics.add(this.#i32, H_SLOT_OVERFLOW, 1);
      // Cache the miss so a hot assertion does not rescan a full table on every call.
      this.#slotByMessage.set(message, -1);
    }
    return index;
  }

  #findOrClaimSlot(bytes: Uint8Array, code: number): number {
    const i32 = this.#i32;
    const ha = fnv1a32(bytes) | 0;
    const hb = secondHash(bytes) | 0;
    const cap = this.slotCapacity;
    const start = (ha >>> 0) % cap;
    for (let i = 0; i < cap; i++) {
      const index = (start + i) % cap;
      const base = this.#slotBase(index);
      if (Atomics.load(i32, base + S_STATE) === EMPTY) {
        if (Atomics.compareExchange(i32, base + S_STATE, EMPTY, CLAIMING) === EMPTY) {
          i32[base + S_HASH_A] = ha;
          i32[base + S_HASH_B] = hb;
          i32[base + S_KIND] = code;
          i32[base + S_MESSAGE_LENGTH] = bytes.length;
          this.#u8.set(bytes.subarray(0, this.messageBytes), (base + S_MESSAGE) * 4);
          Atomics.add(i32, H_SLOTS_USED, 1);
          Atomics.store(i32, base + S_STATE, READY);
          return index;
        }
      }
      waitReady(i32, base + S_STATE);
      if (
        i32[base + S_HASH_A] === ha &&
        i32[base + S_HASH_B] === hb &&
        i32[base + S_MESSAGE_LENGTH] === bytes.length &&
        this.#sameBytes((base + S_MESSAGE) * 4, bytes, this.messageBytes)
      ) {
        return index;
      }
    }
    return -1;
  }

  #sameBytes(offset: number, bytes: Uint8Array, capacity: number): boolean {
    const n = Math.min(bytes.length, capacity);
    const u8 = this.#u8;
    for (let i = 0; i < n; i++) if (u8[offset + i] !== bytes[i]) return false;
    return true;
  }

  /** Kind a slot was allocated with. */
  slotKind(index: number): AssertionKind | undefined {
    return kindFromCode(this.#i32[this.#slotBase(index) + S_KIND]!);
  }

  /** Stable 32-bit identity of a slot's message (same in every process): a coverage-map key. */
  slotHash(index: number): number {
    return this.#i32[this.#slotBase(index) + S_HASH_A]! >>> 0;
  }

  /**
   * Adds counts merged from elsewhere (another table's export). Closes the first-pass and
   * first-fail latches as needed; returns like {@link recordPass}.
   */
  addCounts(index: number, pass: number, fail: number): number {
    const i32 = this.#i32;
    const base = this.#slotBase(index);
    add64(i32, base + S_PASS_LO, pass);
    add64(i32, base + S_FAIL_LO, fail);
    if (fail > 0) Atomics.compareExchange(i32, base + S_FIRST_FAIL, 0, 1);
    if (pass === 0 || Atomics.compareExchange(i32, base + S_FIRST_PASS, 0, 1) !== 0) return NOT_FIRST;
    return Atomics.compareExchange(i32, base + S_EVER_PASS, 0, 1) === 0 ? FIRST_PASS : FIRST_PASS_AGAIN;
  }

  /**
   * Counts a passing evaluation. Returns {@link FIRST_PASS} for the first pass of the run,
   * {@link FIRST_PASS_AGAIN} for the first pass since {@link rearm}, else {@link NOT_FIRST}.
   */
  recordPass(index: number): number {
    const i32 = this.#i32;
    const base = this.#slotBase(index);
    increment(i32, base + S_PASS_LO);
    if (i32[base + S_FIRST_PASS] !== 0 || Atomics.compareExchange(i32, base + S_FIRST_PASS, 0, 1) !== 0) {
      return NOT_FIRST;
    }
    return Atomics.compareExchange(i32, base + S_EVER_PASS, 0, 1) === 0 ? FIRST_PASS : FIRST_PASS_AGAIN;
  }

  /**
   * Re-arms the first-hit latches of every slot and bucket (not the counts, watermarks,
   * frontiers or quality scores): the next pass of each sometimes/reachable and the next hit of
   * each bucket are discoveries again, flagged as repeats. Like moonpool's per-seed reset of
   * its split triggers, for an explorer that splits afresh in every root seed.
   */
  rearm(): void {
    const i32 = this.#i32;
    for (let index = 0; index < this.slotCapacity; index++) {
      const base = this.#slotBase(index);
      if (Atomics.load(i32, base + S_STATE) === READY) Atomics.store(i32, base + S_FIRST_PASS, 0);
    }
    for (let index = 0; index < this.bucketCapacity; index++) {
      const base = this.#bucketBase(index);
      if (Atomics.load(i32, base + B_STATE) === READY) Atomics.store(i32, base + B_SEEN, 0);
    }
  }

  /** Counts a failing evaluation; returns true if it was the slot's first (the latch closes). */
  recordFail(index: number): boolean {
    const base = this.#slotBase(index);
    increment(this.#i32, base + S_FAIL_LO);
    return (
      this.#i32[base + S_FIRST_FAIL] === 0 &&
      Atomics.compareExchange(this.#i32, base + S_FIRST_FAIL, 0, 1) === 0
    );
  }

  /**
   * Offers a numeric margin to the slot's watermark (kept as the maximum when `maximize`, else
   * the minimum). Returns {@link WATERMARK_KEPT} when it does not beat the watermark,
   * {@link WATERMARK_FIRST} when it is the first value, {@link WATERMARK_IMPROVED} when it beats
   * an earlier one. NaN never moves a watermark.
   */
  offerWatermark(index: number, margin: number, maximize: boolean): number {
    if (Number.isNaN(margin)) return WATERMARK_KEPT;
    const i32 = this.#i32;
    const base = this.#slotBase(index);
    const at = (base + S_WATERMARK) / 2;
    // Unlocked pre-check: most calls do not improve the watermark and skip the lock.
    if (i32[base + S_WATERMARK_SET] === 1) {
      const current = this.#f64[at]!;
      if (maximize ? margin <= current : margin >= current) return WATERMARK_KEPT;
    }
    lock(i32, base + S_LOCK);
    try {
      const set = Atomics.load(i32, base + S_WATERMARK_SET) === 1;
      if (set) {
        const current = this.#f64[at]!;
        if (maximize ? margin <= current : margin >= current) return WATERMARK_KEPT;
      }
      this.#f64[at] = margin;
      Atomics.store(i32, base + S_WATERMARK_SET, 1);
      return set ? WATERMARK_IMPROVED : WATERMARK_FIRST;
    } finally {
      unlock(i32, base + S_LOCK);
    }
  }

  /** Raises the sometimesAll frontier to `trueCount` if higher; returns true if it grew. */
  raiseFrontier(index: number, trueCount: number, width: number): boolean {
    const base = this.#slotBase(index);
    this.#raise(base + S_WIDTH, width);
    return this.#raise(base + S_FRONTIER, trueCount);
  }

  #raise(word: number, value: number): boolean {
    const i32 = this.#i32;
    let current = Atomics.load(i32, word);
    while (value > current) {
      const seen = Atomics.compareExchange(i32, word, current, value);
      if (seen === current) return true;
      current = seen;
    }
    return false;
  }

  /**
   * The bucket of (`site`, `label`), creating it on first use. `index` is -1 when the bucket
   * table is full (counted in {@link overflow}).
   */
  bucketFor(site: number, label: string): BucketLookup {
    this.#sync();
    let perSite = this.#bucketsBySite.get(site);
    if (perSite === undefined) {
      perSite = new Map();
      this.#bucketsBySite.set(site, perSite);
    }
    const cached = perSite.get(label);
    if (cached !== undefined) return { index: cached, created: false };
    const found = this.#findOrClaimBucket(site, utf8(label));
    if (found.index < 0) Atomics.add(this.#i32, H_BUCKET_OVERFLOW, 1);
    else if (found.created) Atomics.add(this.#i32, this.#slotBase(site) + S_WIDTH, 1);
    perSite.set(label, found.index);
    return found;
  }

  #findOrClaimBucket(site: number, bytes: Uint8Array): BucketLookup {
    const i32 = this.#i32;
    const siteHash = i32[this.#slotBase(site) + S_HASH_A]!;
    const ha = mix32(fnv1a32(bytes), siteHash) | 0;
    const hb = mix32(secondHash(bytes), site) | 0;
    const cap = this.bucketCapacity;
    const start = (ha >>> 0) % cap;
    for (let i = 0; i < cap; i++) {
      const index = (start + i) % cap;
      const base = this.#bucketBase(index);
      if (Atomics.load(i32, base + B_STATE) === EMPTY) {
        if (Atomics.compareExchange(i32, base + B_STATE, EMPTY, CLAIMING) === EMPTY) {
          i32[base + B_HASH_A] = ha;
          i32[base + B_HASH_B] = hb;
          i32[base + B_SITE] = site;
          i32[base + B_LABEL_LENGTH] = bytes.length;
          i32[base + B_SEEN] = 1;
          this.#u8.set(bytes.subarray(0, this.labelBytes), (base + B_LABEL) * 4);
          Atomics.add(i32, H_BUCKETS_USED, 1);
          Atomics.store(i32, base + B_STATE, READY);
          return { index, created: true };
        }
      }
      waitReady(i32, base + B_STATE);
      if (
        i32[base + B_HASH_A] === ha &&
        i32[base + B_HASH_B] === hb &&
        i32[base + B_SITE] === site &&
        i32[base + B_LABEL_LENGTH] === bytes.length &&
        this.#sameBytes((base + B_LABEL) * 4, bytes, this.labelBytes)
      ) {
        return { index, created: false };
      }
    }
    return { index: -1, created: false };
  }

  /**
   * Counts a hit of a bucket; returns true when it is the first hit since {@link rearm} of a
   * bucket that existed before (its creation is reported by {@link bucketFor} instead).
   */
  recordBucketHit(index: number): boolean {
    const i32 = this.#i32;
    const base = this.#bucketBase(index);
    increment(i32, base + B_HITS_LO);
    return i32[base + B_SEEN] === 0 && Atomics.compareExchange(i32, base + B_SEEN, 0, 1) === 0;
  }

  /** Adds hits merged from elsewhere; returns like {@link recordBucketHit}. */
  addBucketHits(index: number, hits: number): boolean {
    const i32 = this.#i32;
    const base = this.#bucketBase(index);
    add64(i32, base + B_HITS_LO, hits);
    return hits > 0 && i32[base + B_SEEN] === 0 && Atomics.compareExchange(i32, base + B_SEEN, 0, 1) === 0;
  }

  /** Stable 32-bit identity of a bucket (its site's message and its label): a coverage-map key. */
  bucketHash(index: number): number {
    return this.#i32[this.#bucketBase(index) + B_HASH_A]! >>> 0;
  }

  /**
   * Offers a quality vector (first entry most significant, at most 4 used) to a bucket; returns
   * true when it beats the best one stored (the first offer always does).
   */
  offerQuality(index: number, quality: readonly number[]): boolean {
    const i32 = this.#i32;
    const base = this.#bucketBase(index);
    const n = Math.min(quality.length, MAX_QUALITY);
    if (n === 0) return false;
    for (let i = 0; i < n; i++) if (Number.isNaN(quality[i])) return false;
    // Unlocked pre-check: most calls do not beat the best score and skip the lock.
    if (i32[base + B_QUALITY_COUNT] !== 0 && !this.#beats(base, quality, n)) return false;
    lock(i32, base + B_LOCK);
    try {
      if (Atomics.load(i32, base + B_QUALITY_COUNT) !== 0 && !this.#beats(base, quality, n)) return false;
      const at = (base + B_QUALITY) / 2;
      for (let i = 0; i < n; i++) this.#f64[at + i] = quality[i]!;
      Atomics.store(i32, base + B_QUALITY_COUNT, n);
      return true;
    } finally {
      unlock(i32, base + B_LOCK);
    }
  }

  /** Whether `quality` (first `n` entries) is lexicographically above the stored best. */
  #beats(base: number, quality: readonly number[], n: number): boolean {
    const stored = this.#i32[base + B_QUALITY_COUNT]!;
    const at = (base + B_QUALITY) / 2;
    const len = Math.max(n, stored);
    for (let i = 0; i < len; i++) {
      const x = i < n ? quality[i]! : Number.NEGATIVE_INFINITY;
      const y = i < stored ? this.#f64[at + i]! : Number.NEGATIVE_INFINITY;
      if (x !== y) return x > y;
    }
    return false;
  }

  #readQuality(base: number): number[] | undefined {
    const n = Atomics.load(this.#i32, base + B_QUALITY_COUNT);
    if (n === 0) return undefined;
    const at = (base + B_QUALITY) / 2;
    return Array.from(this.#f64.subarray(at, at + n));
  }

  /** Adds one to the run's discovery counter and returns the new total. */
  countDiscovery(): number {
    return Atomics.add(this.#i32, H_DISCOVERIES, 1) + 1;
  }

  /** Discoveries so far (all threads). */
  get discoveries(): number {
    return Atomics.load(this.#i32, H_DISCOVERIES);
  }

  /** Adds one to the run's violation counter. */
  countViolation(): void {
    Atomics.add(this.#i32, H_VIOLATIONS, 1);
  }

  /** Violations so far (all threads). */
  get violations(): number {
    return Atomics.load(this.#i32, H_VIOLATIONS);
  }

  /** Usage and overflow: how many assertions / buckets were dropped because the table was full. */
  get usage(): {
    slots: number;
    slotCapacity: number;
    buckets: number;
    bucketCapacity: number;
    droppedAssertions: number;
    droppedBuckets: number;
  } {
    const i32 = this.#i32;
    return {
      slots: Atomics.load(i32, H_SLOTS_USED),
      slotCapacity: this.slotCapacity,
      buckets: Atomics.load(i32, H_BUCKETS_USED),
      bucketCapacity: this.bucketCapacity,
      droppedAssertions: Atomics.load(i32, H_SLOT_OVERFLOW),
      droppedBuckets: Atomics.load(i32, H_BUCKET_OVERFLOW),
    };
  }

  /** Every allocated slot, in slot order. */
  slots(): SlotSnapshot[] {
    this.#sync();
    const i32 = this.#i32;
    const out: SlotSnapshot[] = [];
    for (let index = 0; index < this.slotCapacity; index++) {
      const base = this.#slotBase(index);
      if (Atomics.load(i32, base + S_STATE) !== READY) continue;
      const kind = kindFromCode(i32[base + S_KIND]!);
      if (kind === undefined) continue;
      const snapshot: SlotSnapshot = {
        index,
        message: this.#messageBySlot.get(index) ?? this.#storedText(base),
        kind,
        pass: readCount(i32, base + S_PASS_LO),
        fail: readCount(i32, base + S_FAIL_LO),
        frontier: Atomics.load(i32, base + S_FRONTIER),
        width: Atomics.load(i32, base + S_WIDTH),
      };
      if (Atomics.load(i32, base + S_WATERMARK_SET) === 1) {
        lock(i32, base + S_LOCK);
        snapshot.watermark = this.#f64[(base + S_WATERMARK) / 2]!;
        unlock(i32, base + S_LOCK);
      }
      out.push(snapshot);
    }
    return out;
  }

  #storedText(base: number): string {
    const i32 = this.#i32;
    const length = i32[base + S_MESSAGE_LENGTH]!;
    const offset = (base + S_MESSAGE) * 4;
    const text = fromUtf8(this.#u8.slice(offset, offset + Math.min(length, this.messageBytes)));
    return length > this.messageBytes ? `${text}…` : text;
  }

  /** Every allocated bucket (optionally of one site), in bucket order. */
  buckets(site?: number): BucketSnapshot[] {
    const i32 = this.#i32;
    const out: BucketSnapshot[] = [];
    for (let index = 0; index < this.bucketCapacity; index++) {
      const base = this.#bucketBase(index);
      if (Atomics.load(i32, base + B_STATE) !== READY) continue;
      const owner = i32[base + B_SITE]!;
      if (site !== undefined && owner !== site) continue;
      const length = i32[base + B_LABEL_LENGTH]!;
      const offset = (base + B_LABEL) * 4;
      let label = fromUtf8(this.#u8.slice(offset, offset + Math.min(length, this.labelBytes)));
      if (length > this.labelBytes) label += "…";
      const snapshot: BucketSnapshot = { index, site: owner, label, hits: readCount(i32, base + B_HITS_LO) };
      lock(i32, base + B_LOCK);
      const best = this.#readQuality(base);
      unlock(i32, base + B_LOCK);
      if (best !== undefined) snapshot.bestQuality = best;
      out.push(snapshot);
    }
    return out;
  }

  /**
   * Zeroes every record and counter and bumps the generation, so every attached thread drops
   * its caches. Call it only while no thread is evaluating assertions (between runs).
   */
  clear(): void {
    const i32 = this.#i32;
    i32.fill(0, HEADER_WORDS);
    for (const word of [
      H_SLOTS_USED,
      H_BUCKETS_USED,
      H_SLOT_OVERFLOW,
      H_BUCKET_OVERFLOW,
      H_DISCOVERIES,
      H_VIOLATIONS,
    ]) {
      Atomics.store(i32, word, 0);
    }
    Atomics.add(i32, H_GENERATION, 1);
    this.#sync();
  }
}

/**
 * Creates an assertion table. Without `buffer`, allocates one (a `SharedArrayBuffer` when the
 * host has it) and formats it. With a `buffer` that already holds a table, attaches to it (the
 * sizes come from the buffer); with a zero-filled buffer, formats it with `options`' sizes.
 *
 * @example
 * const table = createAssertionTable({ slots: 256 });
 * worker.postMessage(table.buffer);            // in the worker: attachAssertionTable(buffer)
 */
export function createAssertionTable(
  options: AssertionTableOptions & { buffer?: ArrayBuffer | SharedArrayBuffer } = {},
): AssertionTable {
  const sizes = resolveSizes(options);
  const bytes = assertionTableBytes(sizes);
  let buffer = options.buffer;
  if (buffer === undefined) {
    buffer = typeof SharedArrayBuffer === "function" ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  } else {
    if (
      !(buffer instanceof ArrayBuffer) &&
      !(typeof SharedArrayBuffer === "function" && buffer instanceof SharedArrayBuffer)
    ) {
      throw new TypeError("options.buffer must be an ArrayBuffer or a SharedArrayBuffer");
    }
    if (buffer.byteLength >= HEADER_WORDS * 4 && new Int32Array(buffer, 0, 1)[0] === MAGIC) {
      return new AssertionTable(buffer);
    }
    if (buffer.byteLength < bytes) {
      throw new RangeError(`options.buffer holds ${buffer.byteLength} bytes; these sizes need ${bytes}`);
    }
  }
  const header = new Int32Array(buffer, 0, HEADER_WORDS);
  header[H_VERSION] = LAYOUT_VERSION;
  header[H_SLOT_CAPACITY] = sizes.slots;
  header[H_BUCKET_CAPACITY] = sizes.buckets;
  header[H_MESSAGE_BYTES] = sizes.messageBytes;
  header[H_LABEL_BYTES] = sizes.labelBytes;
  // Publish the magic last: a thread attaching concurrently sees a complete header or none.
  Atomics.store(header, H_MAGIC, MAGIC);
  return new AssertionTable(buffer);
}
