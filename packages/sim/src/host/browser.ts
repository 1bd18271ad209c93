// What the browser host gives the engine and the runner: the `#host` import under the "browser"
// condition (package.json "imports"), so a bundle for a page carries no Node built-in.
export { browserHost as drainHost } from "./browser-host.ts";

/** Browsers have no CommonJS module cache to search for library state. */
export function discoverLibraryState(): void {}
