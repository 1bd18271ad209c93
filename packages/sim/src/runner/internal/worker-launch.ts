// Starting and stopping the worker thread that runs a simulation module (for runFile).
//
// Loading: a TypeScript module needs tsx's loader inside the worker (`--import tsx` in a worker's
// execArgv does not reach its entry module on Node 20), and the simulation file must load as an
// ES module even when no package.json above it says `"type": "module"` (e.g. a file under /tmp):
// tsx would otherwise compile it to CommonJS and Node fails with ERR_REQUIRE_CYCLE_MODULE. So the
// worker starts with a small bootstrap that registers tsx (for TypeScript), then a resolve/load
// hook that marks that one file as "module", then imports the worker entry.
//
// Stopping: a worker's console output reaches this thread through its stdio stream, which only
// sends more once this thread has acknowledged the previous chunk. Terminating the worker as soon
// as its result arrives can drop its last lines, so `stopWorker` lets it exit on its own and only
// terminates it after a bounded wait (user code may have left a real handle open).
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { WorkerRequest } from "./worker-protocol.ts";

/** How long a finished worker may take to exit on its own before it is terminated. */
export const WORKER_EXIT_GRACE_MS = 3_000;

/** Starts the worker for `request` (`entry`: worker-main.ts from source, worker-main.js built). */
export function startWorker(request: WorkerRequest, entry: URL, fromSource: boolean): Worker {
  const execArgv = fromSource ? ["--conditions=@moonpool/source"] : [];
  const typescript = fromSource || /\.[cm]?tsx?$/.test(request.url);
  const steps: string[] = [];
  if (typescript) {
    const api = resolveTsxApi(request.url);
    steps.push(`() => import(${JSON.stringify(api)}).then((tsx) => tsx.register())`);
  }
  // .cjs/.cts files say they are CommonJS: leave them to Node.
  if (!/\.c[jt]sx?$/.test(request.url)) {
    steps.push(
      `() => import("node:module").then((m) => m.register(${JSON.stringify(esmHooksUrl(request.url))}))`,
    );
  }
  steps.push(`() => import(${JSON.stringify(entry.href)})`);
  // The bootstrap is a CommonJS script (eval), hence the promise chain instead of top-level await.
  const bootstrap = `${steps.map((s) => `.then(${s})`).join("")}`;
  return new Worker(`Promise.resolve()${bootstrap}`, { eval: true, workerData: request, execArgv });
}

/**
 * Resolves once `worker` has exited: at once when it already has, after it exits on its own
 * (flushing its stdout/stderr), or after `graceMs`, when it is terminated.
 */
export function stopWorker(worker: Worker, exited: boolean, graceMs = WORKER_EXIT_GRACE_MS): Promise<void> {
  if (exited) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const grace = setTimeout(() => void worker.terminate(), graceMs);
    worker.once("exit", () => {
      clearTimeout(grace);
      resolve();
    });
  });
}

/**
 * A data: URL of loader hooks that load `href` (only that file) as an ES module. Its relative
 * imports keep their own format: tsx compiles a TypeScript helper without "type": "module" to
 * CommonJS, which an ES module imports fine.
 */
function esmHooksUrl(href: string): string {
  const target = JSON.stringify(href);
  const source = [
    "export async function resolve(specifier, context, next) {",
    "  const result = await next(specifier, context);",
    `  return result.url === ${target} ? { ...result, format: "module" } : result;`,
    "}",
    "export async function load(url, context, next) {",
    `  return next(url, url === ${target} ? { ...context, format: "module" } : context);`,
    "}",
  ].join("\n");
  return `data:text/javascript,${encodeURIComponent(source)}`;
}

/** The URL of tsx's ESM API (`register()`), found from the module, this package or the cwd. */
function resolveTsxApi(href: string): string {
  const bases = [fileURLToPath(import.meta.url), `${process.cwd()}/index.js`];
  if (href.startsWith("file:")) bases.unshift(fileURLToPath(href));
  for (const base of bases) {
    try {
      const pkg = createRequire(base).resolve("tsx/package.json");
      return pathToFileURL(pkg.replace(/package\.json$/, "dist/esm/api/index.mjs")).href;
    } catch {
      // try the next base
    }
  }
  throw new Error("running a TypeScript simulation file needs the tsx package (npm i -D tsx)");
}
