// Copying small byte arrays fast. On V8 every `new Uint8Array(n)` / `slice()` of a few hundred
// bytes allocates its own backing store (microseconds each), while a view onto a slab costs a
// fraction of that. Devices copy every write (the caller may reuse its buffer once the write
// resolved), so small copies come from slabs, like Node's Buffer pool, in standard JS. Each
// owner (a connection end, a disk) has its own slab: a chunk's `buffer` never holds another
// connection's bytes, and its `byteOffset` depends only on that owner's history (the same alone
// or after other seeds).

/** Slab size; the first slab of an owner starts small so idle connections stay cheap. */
const SLAB_BYTES = 16 * 1024;
const FIRST_SLAB_BYTES = 1024;
/** Copies larger than this get their own array (the copy itself dominates the cost then). */
const SMALL_BYTES = 4096;

/** One owner's slab allocator. */
export class ByteSlab {
  #slab: ArrayBuffer | null = null;
  #used = 0;

  /** A private copy of `data` (a view onto this owner's slab for small arrays). */
  copy(data: Uint8Array): Uint8Array {
    const n = data.length;
    if (n > SMALL_BYTES) return data.slice();
    return this.alloc(n, data);
  }

  /** `n` zeroed bytes (a view onto this owner's slab for small sizes), optionally filled from `from`. */
  alloc(n: number, from?: Uint8Array): Uint8Array {
    if (n > SMALL_BYTES) {
      const out = new Uint8Array(n);
      if (from !== undefined) out.set(from);
      return out;
    }
    let slab = this.#slab;
    if (slab === null || this.#used + n > slab.byteLength) {
      // Grow from a small first slab (most connections carry little) to the full size.
      const size = slab === null ? Math.max(FIRST_SLAB_BYTES, n) : SLAB_BYTES;
      slab = new ArrayBuffer(size);
      this.#slab = slab;
      this.#used = 0;
    }
    const out = new Uint8Array(slab, this.#used, n);
    if (from !== undefined) out.set(from);
    this.#used += (n + 7) & ~7; // keep views 8-byte aligned
    return out;
  }
}

/**
 * Shared slab of callers that have no owner of their own (storage): reset at every seed start
 * by `resetSharedBytes`, so offsets do not depend on earlier seeds.
 */
let shared = new ByteSlab();

/** Starts a fresh shared slab (called when a seed's devices are created). */
export function resetSharedBytes(): void {
  shared = new ByteSlab();
}

/** A private copy of `data` from the shared slab. */
export function copyBytes(data: Uint8Array): Uint8Array {
  return shared.copy(data);
}

/** `n` zeroed bytes from the shared slab, optionally filled from `from`. */
export function allocBytes(n: number, from?: Uint8Array): Uint8Array {
  return shared.alloc(n, from);
}
