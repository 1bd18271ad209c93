// Two independent 32-bit FNV-1a style hashes over UTF-8 bytes. Together they pick a slot and
// reject most mismatches cheaply; the stored bytes decide identity in the end, so a collision
// costs a probe, never a merge of two different messages.

const ENCODER = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return ENCODER.encode(text);
}

/** Decodes UTF-8, replacing a sequence cut by truncation instead of throwing. */
export function fromUtf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

/** FNV-1a 32 over `bytes`, starting from `seed` (the standard offset basis by default). */
export function fnv1a32(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A second, independent 32-bit hash (different basis and a final avalanche). */
export function secondHash(bytes: Uint8Array): number {
  let h = fnv1a32(bytes, 0x9e3779b9);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Mixes a 32-bit value into a hash (used to key buckets by their site). */
export function mix32(h: number, value: number): number {
  let x = (h ^ value) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}
