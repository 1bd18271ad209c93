import { createRequire } from "node:module";

/** CRC-32C over `data`, continuing from `previous` (0 to start). */
export type Crc32c = (data: Uint8Array, previous?: number) => number;

// Table-driven CRC-32C (reflected, polynomial 0x82F63B78), used when the native binding of
// @node-rs/crc32 is not available on this machine.
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The pure-JS CRC-32C (exported for tests and for comparison benchmarks). */
export const crc32cJs: Crc32c = (data, previous = 0) => {
  let crc = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) crc = TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
};

function loadNative(): Crc32c | null {
  try {
    const require = createRequire(import.meta.url);
    const mod = require("@node-rs/crc32") as { crc32c(input: Uint8Array, initial?: number): number };
    const native: Crc32c = (data, previous = 0) => mod.crc32c(data, previous) >>> 0;
    // Check the binding against the standard check value before trusting it.
    return native(new TextEncoder().encode("123456789")) === 0xe3069283 ? native : null;
  } catch {
    return null;
  }
}

const native = loadNative();

/** Which implementation was chosen at load time. */
export const crc32cImplementation: "native" | "js" = native ? "native" : "js";

/**
 * CRC-32C (Castagnoli), chosen once at load: the native `@node-rs/crc32` binding when it loads
 * and passes the check value, otherwise a table-driven JavaScript implementation.
 */
export const crc32c: Crc32c = native ?? crc32cJs;
