// `moonpool-codegen --watch`: generate, then regenerate whenever a declaration file or a file
// whose message types it uses changes (chokidar watches them; the set is updated after each run).
// An unsupported declaration is reported and the watch goes on.

import { resolve } from "node:path";
import { type FSWatcher, watch } from "chokidar";
import { type GenerateOptions, generate, writeGenerated } from "./generate.ts";

/** What one generation did: the outputs it rewrote, or the error that stopped it. */
export interface WatchRun {
  readonly written: readonly string[];
  readonly error?: unknown;
}

/** Options of {@link watchGenerated}. */
export interface WatchOptions extends GenerateOptions {
  /** Called after every generation (the first one included). */
  readonly onRun?: (run: WatchRun) => void;
  /** Quiet time after a change before regenerating, in ms (editors write in bursts). Default 50. */
  readonly debounceMs?: number;
}

/** A running watch. */
export interface Watcher {
  /** Resolves once the first generation ran and the files are watched. */
  readonly ready: Promise<void>;
  /** Stops watching. */
  close(): Promise<void>;
}

/** Generates the outputs of `files` now and again after each change, until {@link Watcher.close}. */
export function watchGenerated(files: readonly string[], options: WatchOptions = {}): Watcher {
  const cwd = resolve(options.cwd ?? process.cwd());
  const debounce = options.debounceMs ?? 50;
  if (!Number.isFinite(debounce) || debounce < 0)
    throw new RangeError("options.debounceMs: expected a non-negative number");
  const inputs = files.map((f) => resolve(cwd, f));
  const { onRun, debounceMs: _debounce, ...generateOptions } = options;
  let watched = new Set(inputs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  let watcher: FSWatcher | undefined;
  // Generates, then follows the files the declarations use now (a new import, a removed one).
  const generateOnce = () => {
    try {
      const out = generate(files, generateOptions);
      const written = writeGenerated(out);
      const next = new Set([...inputs, ...out.flatMap((f) => f.dependencies)]);
      watcher?.add([...next].filter((f) => !watched.has(f)));
      watcher?.unwatch([...watched].filter((f) => !next.has(f)));
      watched = next;
      onRun?.({ written });
    } catch (error) {
      onRun?.({ written: [], error });
    }
  };
  const schedule = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) generateOnce();
    }, debounce);
  };
  // The first run comes before the watcher, so `ready` means every file it uses is watched.
  generateOnce();
  const w = watch([...watched], { ignoreInitial: true });
  watcher = w;
  w.on("all", schedule);
  const ready = new Promise<void>((done, fail) => {
    w.once("ready", done);
    w.once("error", fail);
  });
  return {
    ready,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      await watcher?.close();
    },
  };
}
