/**
 * The local files a simulation module runs: the module and every file it imports, statically and
 * transitively, that is not a package (packages are pinned by the lockfile, not here). esbuild's
 * resolver finds them, as the loader would (TypeScript, `.js` specifiers naming `.ts` files,
 * index files), without running anything. Each file is named relative to `cwd` with "/"
 * separators, so every machine names it the same, and mapped to the sha256 of its content.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { buildSync } from "esbuild";

/** sha256 (hex) of `bytes`. */
export function sha256(bytes: string | Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The name of `path` relative to `cwd` ("/" separators), or `path` itself outside `cwd`. */
export function nameUnder(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  const name = rel.startsWith("..") || isAbsolute(rel) ? path : rel;
  return name.split(sep).join("/");
}

/** Every local file `entry` imports (itself included), sorted, each with its content's sha256. */
export function localModules(entry: string, cwd: string): Record<string, string> {
  const result = buildSync({
    entryPoints: [entry],
    absWorkingDir: cwd,
    bundle: true,
    write: false,
    metafile: true,
    packages: "external",
    platform: "node",
    format: "esm",
    logLevel: "silent",
    // Only the graph is wanted: no output is produced or kept.
    outfile: "moonpool-module-graph.js",
  });
  const names = Object.keys(result.metafile?.inputs ?? {})
    .map((input) => resolve(cwd, input))
    .sort();
  const modules: Record<string, string> = {};
  for (const path of names) modules[nameUnder(cwd, path)] = sha256(readFileSync(path));
  return modules;
}

/** One hash for a module graph: its names and content hashes, in name order. */
export function graphHash(modules: Readonly<Record<string, string>>): string {
  const lines = Object.keys(modules)
    .sort()
    .map((name) => `${name}\0${modules[name]}\n`);
  return sha256(lines.join(""));
}
