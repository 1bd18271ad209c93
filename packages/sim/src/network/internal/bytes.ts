// Copying small byte arrays fast. On V8 every `new Uint8Array(n)` / `slice()` of a few hundred
// bytes allocates its own backing store (microseconds each), while a view onto a shared slab costs
// a fraction of that. Devices copy every write (the caller may reuse its buffer once the write
// resolved), so small copies come from 64 KiB slabs, like Node's Buffer pool, in standard JS.

const SLAB_BYTES = 64 * 1024;
/** Copies larger than this get their own array (the copy itself dominates the cost then). */
const SMALL_BYTES = 4096;

let slab = new ArrayBuffer(SLAB_BYTES);
let used = 0;

/** A private copy of `data` (a view onto a shared slab for small arrays). */
export function copyBytes(data: Uint8Array): Uint8Array {
  const n = data.length;
  if (n > SMALL_BYTES) return data.slice();
  return allocBytes(n, data);
}

/** `n` zeroed bytes (a view onto a shared slab for small sizes), optionally filled from `from`. */
export function allocBytes(n: number, from?: Uint8Array): Uint8Array {
  if (n > SMALL_BYTES) {
    const out = new Uint8Array(n);
    if (from !== undefined) out.set(from);
    return out;
  }
  if (used + n > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const out = new Uint8Array(slab, used, n);
  if (from !== undefined) out.set(from);
  used += (n + 7) & ~7; // keep views 8-byte aligned
  return out;
}
