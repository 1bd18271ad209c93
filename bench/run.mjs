#!/usr/bin/env node
// `pnpm bench [-- <filter>...]`: runs every bench/src/<package>/*.bench.ts in its own child
// process, prints a table of figures and ratios and writes bench/results/latest.json.
// A filter keeps the suites whose path (e.g. "core/uid.bench.ts") contains it.
// `--src <dir>` and `--out <file>` point it elsewhere (the harness's own tests use them).

import { fork } from "node:child_process";
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, relative, resolve } from "node:path";

const BENCH_DIR = import.meta.dirname;
const ROOT = join(BENCH_DIR, "..");
const RUNNER = join(BENCH_DIR, "src", "internal", "run-suite.ts");
const SUITE_TIMEOUT_MS = 120_000;
/** A suite that reported "done" but keeps handles open is stopped after this grace period. */
const EXIT_GRACE_MS = 2_000;

/** `--src`/`--out` options, and the remaining arguments as filters. */
function parseArgs(argv) {
  const options = {
    src: join(BENCH_DIR, "src"),
    out: join(BENCH_DIR, "results", "latest.json"),
    filters: [],
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--") continue;
    if (argv[i] === "--src" || argv[i] === "--out") options[argv[i].slice(2)] = resolve(argv[++i]);
    else options.filters.push(argv[i]);
  }
  return options;
}

function discover(src) {
  const suites = [];
  for (const pkg of readdirSync(src).sort()) {
    const dir = join(src, pkg);
    if (pkg === "internal" || !statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith(".bench.ts"))
        suites.push({ package: pkg, file: join(dir, name), id: `${pkg}/${name}` });
    }
  }
  return suites;
}

function runSuite(suite) {
  return new Promise((resolve) => {
    const result = { suite: suite.id, package: suite.package, ok: false, wallMs: 0, figures: [], ratios: [] };
    const started = performance.now();
    const child = fork(RUNNER, [suite.file], {
      cwd: ROOT,
      execArgv: ["--conditions=@moonpool/source", "--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let done = false;
    const timeout = setTimeout(() => {
      result.error ??= `timed out after ${SUITE_TIMEOUT_MS} ms`;
      child.kill("SIGKILL");
    }, SUITE_TIMEOUT_MS);
    child.on("message", (message) => {
      if (message.kind === "figure")
        result.figures.push({ name: message.name, value: message.value, unit: message.unit });
      else if (message.kind === "ratio")
        result.ratios.push({ name: message.name, value: message.value, description: message.description });
      else if (message.kind === "error") result.error = message.message;
      else if (message.kind === "done") {
        done = true;
        setTimeout(() => child.kill("SIGKILL"), EXIT_GRACE_MS).unref();
      }
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timeout);
      result.wallMs = Math.round(performance.now() - started);
      result.ok = done && result.error === undefined;
      if (!done && result.error === undefined)
        result.error = `exited with ${signal ?? `code ${code}`} before finishing`;
      resolve(result);
    });
  });
}

function formatValue(value) {
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

function printTable(results) {
  const rows = [["suite", "name", "value", "unit / meaning"]];
  for (const r of results) {
    for (const f of r.figures) rows.push([r.suite, f.name, formatValue(f.value), f.unit]);
    for (const q of r.ratios) rows.push([r.suite, q.name, `${formatValue(q.value)}x`, q.description]);
    if (!r.ok) rows.push([r.suite, "FAILED", "", (r.error ?? "").split("\n")[0]]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row) =>
    row.map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ");
  console.log(`\n${line(rows[0])}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const row of rows.slice(1)) console.log(line(row));
}

const { src, out: outFile, filters } = parseArgs(process.argv.slice(2));
const suites = discover(src).filter((s) => filters.length === 0 || filters.some((f) => s.id.includes(f)));
if (suites.length === 0) {
  console.error(`no benchmark matches ${filters.map((f) => JSON.stringify(f)).join(", ") || "(none found)"}`);
  process.exit(2);
}

const results = [];
for (const suite of suites) {
  console.log(`running ${suite.id} ...`);
  const result = await runSuite(suite);
  if (!result.ok) console.error(`${suite.id} failed:\n${result.error}`);
  results.push(result);
}
printTable(results);

const report = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpu: cpus()[0]?.model ?? "unknown",
  cpuCount: cpus().length,
  filters,
  suites: results,
};
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwrote ${relative(ROOT, outFile)}`);
if (results.some((r) => !r.ok)) process.exitCode = 1;
