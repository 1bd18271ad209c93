// Formats generated text with the biome of the project (its own config, found from the output's
// directory), so checked-in modules pass `biome check` and stay byte-stable for a pinned biome.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";

let biomeBin: string | undefined;

function biome(): string {
  if (biomeBin === undefined) {
    try {
      biomeBin = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");
    } catch {
      throw new Error('options.format: "biome" needs @biomejs/biome installed (or pass format "none")');
    }
  }
  return biomeBin;
}

// The output directory may not exist yet; biome finds the config from its nearest ancestor.
function existingDir(path: string): string {
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** `text` as `biome check --write` leaves it for a file at `path` (imports sorted, formatted). */
export function formatSource(text: string, path: string): string {
  const r = spawnSync(process.execPath, [biome(), "check", "--write", `--stdin-file-path=${path}`], {
    input: text,
    cwd: existingDir(path),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  if (r.status !== 0)
    throw new Error(
      `biome could not format the module for ${path} (a generator bug):\n${r.stderr}${r.stdout}`,
    );
  return r.stdout;
}
