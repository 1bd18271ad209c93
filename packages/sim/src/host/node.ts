// What the Node host gives the engine and the runner: the `#host` import on Node (package.json
// "imports"; a browser bundle resolves `#host` to ./browser.ts instead).
export { discoverLibraryState } from "./library-state.ts";
export { nodeHost as drainHost } from "./node-host.ts";
