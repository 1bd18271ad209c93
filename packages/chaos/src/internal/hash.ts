// Small, fast 32-bit hashing used where chaos needs determinism without drawing from the seed's
// stream (never-written sector content, swarm operation masks).

/** murmur3's 32-bit finalizer: a well-mixed bijection on uint32. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a safe integer (both 32-bit halves) together with a 32-bit salt. */
export function hashInt(value: number, salt: number): number {
  const lo = value >>> 0;
  const hi = Math.floor(value / 0x1_0000_0000) >>> 0;
  return mix32(mix32(lo ^ salt) ^ Math.imul(hi + 0x9e3779b9, 0x27d4eb2f));
}

/** FNV-1a over the UTF-16 code units of `s`, then mixed. */
export function hashString(s: string, salt: number): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}
