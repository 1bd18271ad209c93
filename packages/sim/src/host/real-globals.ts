// The real host functions, captured when this module loads (before any hermetic patch), so the
// engine and the host keep real time and real scheduling while simulated code sees virtual ones.
import { performance } from "node:perf_hooks";

/** Real globals, never patched. */
export const real = {
  nextTick: process.nextTick,
  setImmediate: globalThis.setImmediate,
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  clearImmediate: globalThis.clearImmediate,
  Date: globalThis.Date,
  performanceNow: performance.now.bind(performance),
};
