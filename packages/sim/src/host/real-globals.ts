// The real host functions, captured when this module loads (before any hermetic patch), so the
// engine and the host keep real time and real scheduling while simulated code sees virtual ones.
// Node's own (process.nextTick, setImmediate) are undefined in a browser.

/** Real globals, never patched. */
export const real = {
  nextTick: globalThis.process?.nextTick as typeof process.nextTick | undefined,
  setImmediate: globalThis.setImmediate as typeof setImmediate | undefined,
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  /** Absent in browsers; clearing a simulated immediate there never reaches it. */
  clearImmediate: globalThis.clearImmediate as typeof clearImmediate | undefined,
  Date: globalThis.Date,
  performanceNow: globalThis.performance.now.bind(globalThis.performance),
};
