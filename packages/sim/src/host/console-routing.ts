// While a seed drains, console output from simulated code goes to stderr prefixed with
// `[actor @ 12.345s]` (and to the trace when asked), so `--json` output on stdout stays clean.
import { format } from "node:util";
import type { HostedWorld } from "../engine/host.ts";

const LEVELS = ["log", "info", "warn", "error", "debug"] as const;
type Level = (typeof LEVELS)[number];

const originals = new Map<Level, (...args: unknown[]) => void>();

/** Installs the routing for `world` (idempotent). */
export function installConsoleRouting(world: HostedWorld): void {
  if (originals.size > 0) return;
  for (const level of LEVELS) {
    originals.set(level, console[level]);
    console[level] = (...args: unknown[]) => {
      process.stderr.write(`${world.consoleLine(level, format(...args))}\n`);
    };
  }
}

/** Restores the real console methods. */
export function removeConsoleRouting(): void {
  for (const [level, fn] of originals) console[level] = fn;
  originals.clear();
}
