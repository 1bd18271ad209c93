// Module loader hooks (node:module `register`) that instrument the user's simulation modules
// for code-edge coverage: every module under the simulation file's folder (node_modules
// excepted) is passed, after the TypeScript loader compiled it, through istanbul's
// instrumenter, whose counters land in a global the explorer worker reads after each timeline.
// Runs on Node's loader thread; it never touches the simulation's state or randomness.
import { fileURLToPath } from "node:url";
import { createInstrumenter } from "istanbul-lib-instrument";

/** What the explorer worker passes to `register(..., { data })`. */
export interface CodeHooksData {
  /** File URL of the folder whose modules are instrumented (ends with "/"). */
  readonly root: string;
  /** Global variable the counters are kept in. */
  readonly variable: string;
}

type LoadResult = { format?: string; source?: string | ArrayBuffer | Uint8Array | null };
type NextLoad = (url: string, context: unknown) => Promise<LoadResult>;

let settings: CodeHooksData | undefined;
let instrumenter: ReturnType<typeof createInstrumenter> | undefined;

/** Node calls it once with the registration's data. */
export function initialize(data: CodeHooksData): void {
  settings = data;
  instrumenter = createInstrumenter({
    coverageVariable: data.variable,
    // `globalThis` directly: the default looks the global up with `new Function`.
    coverageGlobalScope: "globalThis",
    coverageGlobalScopeFunc: false,
    esModules: true,
    compact: true,
    produceSourceMap: false,
  });
}

/** True for the modules whose edges are counted. */
export function instrumentedUrl(url: string, root: string): boolean {
  return (
    url.startsWith(root) &&
    !url.includes("/node_modules/") &&
    /\.[cm]?[jt]sx?$/.test(new URL(url).pathname) &&
    !/\.d\.[cm]?ts$/.test(url)
  );
}

export async function load(url: string, context: unknown, next: NextLoad): Promise<LoadResult> {
  const result = await next(url, context);
  if (settings === undefined || instrumenter === undefined || !instrumentedUrl(url, settings.root)) {
    return result;
  }
  if (result.format !== "module" && result.format !== "commonjs") return result;
  if (result.source === null || result.source === undefined) return result;
  const code =
    typeof result.source === "string" ? result.source : Buffer.from(result.source as Uint8Array).toString();
  return { ...result, source: instrumenter.instrumentSync(code, fileURLToPath(url)) };
}
