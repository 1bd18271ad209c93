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
import { allocBytes } from "../../network/internal/bytes.ts";

type UnsyncedOp =
  | { readonly kind: "write"; readonly offset: number; readonly data: Uint8Array }
  | { readonly kind: "truncate"; readonly length: number };

/** What a crash did to a file's unsynced operations. */
export interface CrashSummary {
  survived: number;
  lost: number;
  torn: number;
}

/** Sectors per page: content is stored in 8 KiB pages (few, large typed arrays are cheap). */
const PAGE_SECTORS = 16;
const PAGE_SIZE = PAGE_SECTORS * SECTOR_SIZE;

/**
 * One file's bytes, in 512-byte sectors stored by 8 KiB page. A page shared with the durable
 * image is frozen and copied on its next write, so a sync costs one reference per dirty page.
 */
export class FileImage {
  readonly seed: number;
  readonly #fill: () => UnwrittenFill;
  #pages = new Map<number, Uint8Array>();
  #size = 0;
  #durable = new Map<number, Uint8Array>();
  #durableSize = 0;
  /** Pages referenced by the durable image: never written in place. */
  readonly #frozen = new WeakSet<Uint8Array>();
  /** Pages changed since the last sync (when no truncation happened meanwhile). */
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
    const out = allocBytes(n);
    const zeros = this.#fill() === "zeros";
    let at = 0;
    while (at < n) {
      const pos = offset + at;
      const p = Math.floor(pos / PAGE_SIZE);
      const within = pos - p * PAGE_SIZE;
      const take = Math.min(PAGE_SIZE - within, n - at);
      const page = this.#pages.get(p) ?? (zeros ? undefined : this.#blankPage(p));
      if (page !== undefined) out.set(take === PAGE_SIZE ? page : page.subarray(within, within + take), at);
      at += take;
    }
    if (this.#faulty.size > 0 && n > 0) {
      const last = Math.floor((offset + n - 1) / SECTOR_SIZE);
      for (let sector = Math.floor(offset / SECTOR_SIZE); sector <= last; sector++) {
        if (!this.#faulty.has(sector)) continue;
        const byte = sector * SECTOR_SIZE + (corruptedBitOfSector(this.seed, sector, SECTOR_SIZE) >>> 3);
        const bit = corruptedBitOfSector(this.seed, sector, SECTOR_SIZE) & 7;
        if (byte >= offset && byte < offset + n) out[byte - offset]! ^= 1 << bit;
      }
    }
    return out;
  }

  /**
   * Writes `data` at `offset` (extending the file), recorded as not yet synced. Takes ownership of
   * `data` (a crash replays it), so pass a private copy.
   */
  write(offset: number, data: Uint8Array): void {
    this.#apply(offset, data);
    this.#unsynced.push({ kind: "write", offset, data });
  }

  /** Sets the size (shrinking drops content; extending reads as never-written), not yet synced. */
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
      this.#durable = new Map(this.#pages);
      for (const page of this.#pages.values()) this.#frozen.add(page);
    } else {
      for (const p of this.#dirty) {
        const page = this.#pages.get(p);
        if (page === undefined) {
          this.#durable.delete(p);
        } else {
          this.#durable.set(p, page);
          this.#frozen.add(page);
        }
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
    this.#pages = new Map(this.#durable);
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
        this.#applyTorn(op.offset, op.data, index, rng, cfg.powersafeOverwrite !== false);
      }
    }
    // What is on the platter now is, by definition, durable.
    this.#unsynced = [];
    this.#durable = new Map(this.#pages);
    for (const page of this.#pages.values()) this.#frozen.add(page);
    this.#durableSize = this.#size;
    this.#dirty.clear();
    this.#truncatedSinceSync = false;
    return summary;
  }

  /** A page of never-written content. */
  #blankPage(p: number): Uint8Array {
    const page = new Uint8Array(PAGE_SIZE);
    const fill = this.#fill();
    if (fill !== "zeros") {
      for (let s = 0; s < PAGE_SECTORS; s++) {
        page.set(unwrittenSectorBytes(fill, this.seed, p * PAGE_SECTORS + s, SECTOR_SIZE), s * SECTOR_SIZE);
      }
    }
    return page;
  }

  /** The current page `p`, private to the current image (copied if frozen), marked dirty. */
  #pageForWrite(p: number): Uint8Array {
    let page = this.#pages.get(p);
    if (page === undefined) {
      page = this.#blankPage(p);
      this.#pages.set(p, page);
    } else if (this.#frozen.has(page)) {
      page = page.slice();
      this.#pages.set(p, page);
    }
    this.#dirty.add(p);
    return page;
  }

  #clearFaults(offset: number, length: number): void {
    if (this.#faulty.size === 0 || length === 0) return;
    const last = Math.floor((offset + length - 1) / SECTOR_SIZE);
    for (let s = Math.floor(offset / SECTOR_SIZE); s <= last; s++) this.#faulty.delete(s);
  }

  #apply(offset: number, data: Uint8Array): void {
    let at = 0;
    while (at < data.length) {
      const pos = offset + at;
      const p = Math.floor(pos / PAGE_SIZE);
      const within = pos - p * PAGE_SIZE;
      const take = Math.min(PAGE_SIZE - within, data.length - at);
      this.#pageForWrite(p).set(data.subarray(at, at + take), within);
      at += take;
    }
    this.#clearFaults(offset, data.length);
    this.#size = Math.max(this.#size, offset + data.length);
  }

  /**
   * One torn write, sector by sector. A garbage sector is junk over the write's own bytes when
   * `powersafe` (bytes outside the write keep their content), or over the whole sector otherwise.
   */
  #applyTorn(offset: number, data: Uint8Array, opIndex: number, rng: RandomSource, powersafe: boolean): void {
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
        const junk = unwrittenSectorBytes(
          "pattern",
          (this.seed ^ Math.imul(opIndex + 1, 0x9e3779b1)) >>> 0,
          s,
        );
        const p = Math.floor(s / PAGE_SECTORS);
        const sectorStart = s * SECTOR_SIZE;
        const [lo, hi] = powersafe ? [from - sectorStart, to - sectorStart] : [0, SECTOR_SIZE];
        this.#pageForWrite(p).set(junk.subarray(lo, hi), (s - p * PAGE_SECTORS) * SECTOR_SIZE + lo);
        this.#faulty.delete(s);
      }
      if (fate !== "old") end = to;
    }
    if (end > this.#size) this.#size = end;
  }

  #truncate(length: number): void {
    if (length < this.#size) {
      const keep = Math.ceil(length / PAGE_SIZE);
      for (const p of [...this.#pages.keys()]) if (p >= keep) this.#pages.delete(p);
      const keepSectors = Math.ceil(length / SECTOR_SIZE);
      for (const s of [...this.#faulty]) if (s >= keepSectors) this.#faulty.delete(s);
      const within = length % PAGE_SIZE;
      const p = Math.floor(length / PAGE_SIZE);
      if (within !== 0 && this.#pages.has(p)) {
        // Bytes past the new end read as never written if the file grows again.
        const page = this.#pageForWrite(p);
        if (this.#fill() === "zeros") page.fill(0, within);
        else page.set(this.#blankPage(p).subarray(within), within);
      }
    }
    this.#size = length;
    this.#truncatedSinceSync = true;
  }
}
