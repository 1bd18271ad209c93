/**
 * `exploreFile(url, options)`: explores a simulation module (default export: a
 * SimulationBuilder or a function returning one) on a pool of worker threads. Each worker loads
 * the module once; the coordinator here owns coverage and the frontier and applies results in
 * job order, so the campaign is identical for any number of workers.
 *
 * @example
 * ```ts
 * const report = await exploreFile(new URL("./maze.sim.ts", import.meta.url), { runs: 2400, workers: 2 });
 * ```
 */
import { existsSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { InvalidArgumentError } from "@moonpool/core";
import { buildReport, type ExploreOptions, type ExploreReport, resolveExploreOptions } from "./explore.ts";
import { runCampaign } from "./internal/campaign.ts";
import { ExplorerPool } from "./internal/pool.ts";

/** Options of {@link exploreFile}. */
export interface ExploreFileOptions extends ExploreOptions {
  /** Worker threads running timelines (default 1). */
  readonly workers?: number;
}

/** Explores the simulation module at `url` (a file URL or path) on worker threads. */
export async function exploreFile(
  url: string | URL,
  options: ExploreFileOptions = {},
): Promise<ExploreReport> {
  const href = toHref(url);
  const resolved = resolveExploreOptions(options, "exploreFile");
  const workers = options.workers ?? 1;
  if (!Number.isSafeInteger(workers) || workers < 1) {
    throw new InvalidArgumentError(
      "exploreFile(options.workers)",
      `expected an integer >= 1, got ${String(workers)}`,
    );
  }
  const started = performance.now();
  const pool = await ExplorerPool.start(href, workers, resolved.timelineWallMs, resolved.codeCoverage);
  try {
    const result = await runCampaign((jobs, preload, code) => pool.run(jobs, preload, code), {
      ...resolved,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const file = options.file ?? relative(process.cwd(), fileURLToPath(href));
    return buildReport(result, resolved, performance.now() - started, file);
  } finally {
    await pool.close();
  }
}

function toHref(url: string | URL): string {
  const href = url instanceof URL ? url.href : url.startsWith("file:") ? url : pathToFileURL(url).href;
  if (!href.startsWith("file:") || !existsSync(fileURLToPath(href))) {
    throw new InvalidArgumentError("exploreFile(url)", `no simulation file at ${String(url)}`);
  }
  return href;
}
