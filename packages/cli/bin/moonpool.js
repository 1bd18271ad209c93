#!/usr/bin/env node
// The `moonpool` binary. An installed package (under node_modules) runs dist/main.js; in the
// source repository it re-executes node with the @moonpool/source condition and tsx, so no build
// step is needed, and a dist/ left there by `pnpm build` is never run stale in its place.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const dist = new URL("../dist/main.js", import.meta.url);
const here = fileURLToPath(import.meta.url);
const installed = /[\\/]node_modules[\\/]/.test(here);
const source =
  existsSync(new URL("../src/main.ts", import.meta.url)) &&
  existsSync(new URL("../tsconfig.json", import.meta.url));
if (existsSync(dist) && (installed || !source)) {
  await import(dist.href);
} else {
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(
    require.resolve("tsx/package.json").replace(/package\.json$/, "dist/loader.mjs"),
  ).href;
  const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--conditions=@moonpool/source", "--import", tsx, main, ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
