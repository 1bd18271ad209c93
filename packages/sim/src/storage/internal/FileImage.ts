// The sector model of one simulated file (TigerBeetle/moonpool style): the content every read
// sees, the durable content as of the last sync, and the ordered list of writes and truncations
// not yet synced, which a crash replays one by one with independent fates.
import {
  corruptedBitOfSector,
  crashFateOfUnsyncedWrite,
  type RandomSource,
  SECTOR_SIZE,
  type StorageChaosConfig,
  tornWriteSectors,
  type UnwrittenFill,
  unwrittenSectorBytes,
} from "@moonpool/chaos";

type UnsyncedOp =
  | { readonly kind: "write"; readonly offset: number; readonly data: Uint8Array }
  | { readonly kind: "truncate"; readonly length: number };

/** What a crash did to a file's unsynced operations. */
export interface CrashSummary {
  survived: number;
  lost: number;
  torn: number;
}

const ZERO_SECTOR = new Uint8Array(SECTOR_SIZE);

/**
 * One file's bytes, by 512-byte sector. Sector buffers are never mutated once stored (writes
 * copy), so the durable image can share them with the current one.
 */
export class FileImage {
  readonly seed: number;
  readonly #fill: () => UnwrittenFill;
  #sectors = new Map<number, Uint8Array>();
  #size = 0;
  #durable = new Map<number, Uint8Array>();
  #durableSize = 0;
  /** Sectors changed since the last sync (when no truncation happened meanwhile). */
  readonly #dirty = new Set<number>();
  #truncatedSinceSync = false;
  #unsynced: UnsyncedOp[] = [];
  /** Corrupt sectors: reads flip one deterministic bit until the sector is rewritten. */
  readonly #faulty = new Set<number>();

  constructor(seed: number, fill: () => UnwrittenFill) {
    this.seed = seed;
    this.#fill = fill;
  }

  get size(): number {
    return this.#size;
  }

  get durableSize(): number {
    return this.#durableSize;
  }

  /** Writes and truncations since the last sync. */
  get unsyncedOps(): number {
    return this.#unsynced.length;
  }

  /** Number of sectors currently marked corrupt. */
  get faultySectors(): number {
    return this.#faulty.size;
  }

  /** Up to `length` bytes at `offset` (shorter at end of file), corrupt sectors included. */
  read(offset: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.#size - offset));
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const pos = offset + at;
      const sector = Math.floor(pos / SECTOR_SIZE);
      const within = pos - sector * SECTOR_SIZE;
      const take = Math.min(SECTOR_SIZE - within, n - at);
      out.set(this.#sector(sector).subarray(within, within + take), at);
      if (this.#faulty.has(sector)) {
        const bit = corruptedBitOfSector(this.seed, sector, SECTOR_SIZE);
        const byte = bit >>> 3;
        if (byte >= within && byte < within + take) out[at + byte - within]! ^= 1 << (bit & 7);
      }
      at += take;
    }
    return out;
  }

  /** Writes `data` at `offset` (extending the file), recorded as not yet synced. */
  write(offset: number, data: Uint8Array): void {
    this.#apply(offset, data);
    this.#unsynced.push({ kind: "write", offset, data: data.slice() });
  }

  /** Sets the size (shrinking drops sectors; extending reads as never-written), not yet synced. */
  truncate(length: number): void {
    this.#truncate(length);
    this.#unsynced.push({ kind: "truncate", length });
  }

  /** Marks a sector corrupt (sticky until rewritten). */
  markFaulty(sector: number): void {
    this.#faulty.add(sector);
  }

  /** Makes every write and truncation so far durable. */
  sync(): void {
    if (this.#truncatedSinceSync) {
      this.#durable = new Map(this.#sectors);
    } else {
      for (const s of this.#dirty) {
        const content = this.#sectors.get(s);
        if (content === undefined) this.#durable.delete(s);
        else this.#durable.set(s, content);
      }
    }
    this.#durableSize = this.#size;
    this.#dirty.clear();
    this.#truncatedSinceSync = false;
    this.#unsynced = [];
  }

  /**
   * Power loss: the file restarts from its durable image and each unsynced operation, in order,
   * independently survives, disappears or (writes only) is torn sector by sector.
   */
  crash(cfg: StorageChaosConfig, rng: RandomSource): CrashSummary {
    const summary: CrashSummary = { survived: 0, lost: 0, torn: 0 };
    const ops = this.#unsynced;
    this.#sectors = new Map(this.#durable);
    this.#size = this.#durableSize;
    for (const [index, op] of ops.entries()) {
      const fate = crashFateOfUnsyncedWrite(cfg, rng);
      if (fate === "disappear") {
        summary.lost += 1;
      } else if (op.kind === "truncate" || fate === "survive") {
        summary.survived += 1;
        if (op.kind === "truncate") this.#truncate(op.length);
        else this.#apply(op.offset, op.data);
      } else {
        summary.torn += 1;
        this.#applyTorn(op.offset, op.data, index, rng);
      }
    }
    // What is on the platter now is, by definition, durable.
    this.#unsynced = [];
    this.#durable = new Map(this.#sectors);
    this.#durableSize = this.#size;
    this.#dirty.clear();
    this.#truncatedSinceSync = false;
    return summary;
  }

  #sector(sector: number): Uint8Array {
    const stored = this.#sectors.get(sector);
    if (stored !== undefined) return stored;
    const fill = this.#fill();
    return fill === "zeros" ? ZERO_SECTOR : unwrittenSectorBytes(fill, this.seed, sector, SECTOR_SIZE);
  }

  #setSector(sector: number, content: Uint8Array): void {
    this.#sectors.set(sector, content);
    this.#dirty.add(sector);
    this.#faulty.delete(sector);
  }

  #apply(offset: number, data: Uint8Array): void {
    let at = 0;
    while (at < data.length) {
      const pos = offset + at;
      const sector = Math.floor(pos / SECTOR_SIZE);
      const within = pos - sector * SECTOR_SIZE;
      const take = Math.min(SECTOR_SIZE - within, data.length - at);
      const next = take === SECTOR_SIZE ? new Uint8Array(SECTOR_SIZE) : this.#sector(sector).slice();
      next.set(data.subarray(at, at + take), within);
      this.#setSector(sector, next);
      at += take;
    }
    this.#size = Math.max(this.#size, offset + data.length);
  }

  #applyTorn(offset: number, data: Uint8Array, opIndex: number, rng: RandomSource): void {
    const first = Math.floor(offset / SECTOR_SIZE);
    const last = Math.floor((offset + data.length - 1) / SECTOR_SIZE);
    const fates = tornWriteSectors(last - first + 1, rng);
    let end = -1;
    for (let s = first; s <= last; s++) {
      const fate = fates[s - first];
      const from = Math.max(offset, s * SECTOR_SIZE);
      const to = Math.min(offset + data.length, (s + 1) * SECTOR_SIZE);
      if (fate === "new") {
        this.#apply(from, data.subarray(from - offset, to - offset));
      } else if (fate === "garbage") {
        // A half-written sector: deterministic junk, different for every torn write.
        this.#setSector(
          s,
          unwrittenSectorBytes("pattern", (this.seed ^ Math.imul(opIndex + 1, 0x9e3779b1)) >>> 0, s),
        );
      }
      if (fate !== "old") end = to;
    }
    if (end > this.#size) this.#size = end;
  }

  #truncate(length: number): void {
    if (length < this.#size) {
      const keep = Math.ceil(length / SECTOR_SIZE);
      for (const s of [...this.#sectors.keys()]) if (s >= keep) this.#sectors.delete(s);
      for (const s of [...this.#faulty]) if (s >= keep) this.#faulty.delete(s);
      const within = length % SECTOR_SIZE;
      const partial = Math.floor(length / SECTOR_SIZE);
      const stored = this.#sectors.get(partial);
      if (within !== 0 && stored !== undefined) {
        // Bytes past the new end read as never written if the file grows again.
        const next = stored.slice();
        const fill = this.#fill();
        const blank =
          fill === "zeros" ? ZERO_SECTOR : unwrittenSectorBytes(fill, this.seed, partial, SECTOR_SIZE);
        next.set(blank.subarray(within), within);
        this.#sectors.set(partial, next);
      }
    }
    this.#size = length;
    this.#truncatedSinceSync = true;
  }
}
