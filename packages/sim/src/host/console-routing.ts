// While a seed drains, console output from simulated code goes to stderr prefixed with
// `[actor @ 12.345s]` (and to the trace when asked), so `--json` output on stdout stays clean.
import { Console } from "node:console";
import { EventEmitter } from "node:events";
import { format } from "node:util";
import type { HostedWorld } from "../engine/host.ts";

/** Methods that print their arguments formatted like `util.format`. */
const LEVELS = ["log", "info", "warn", "error", "debug"] as const;
/** Methods with their own layout (`dir`, `table` and `dirxml` print to stdout in Node). */
const LAYOUT_LEVELS = ["dir", "dirxml", "table", "trace"] as const;
type Level = (typeof LEVELS)[number] | (typeof LAYOUT_LEVELS)[number];

const originals = new Map<Level, (...args: unknown[]) => void>();

/** A console writing into a string: lays out `table`, `dir` and `trace` exactly as Node does. */
let captured = "";
// An emitter with a synchronous write (a Writable would defer its bookkeeping to nextTicks).
const capture = Object.assign(new EventEmitter(), {
  write(chunk: string | Uint8Array): boolean {
    captured += String(chunk);
    return true;
  },
});
const layoutConsole = new Console({ stdout: capture as never, stderr: capture as never });

/** Installs the routing for `world` (idempotent). */
export function installConsoleRouting(world: HostedWorld): void {
  if (originals.size > 0) return;
  const write = (level: Level, text: string): void => {
    process.stderr.write(`${world.consoleLine(level, text)}\n`);
  };
  for (const level of LEVELS) {
    originals.set(level, console[level]);
    console[level] = (...args: unknown[]) => write(level, format(...args));
  }
  for (const level of LAYOUT_LEVELS) {
    originals.set(level, console[level] as (...args: unknown[]) => void);
    console[level] = (...args: unknown[]) => {
      captured = "";
      (layoutConsole[level] as (...a: unknown[]) => void)(...args);
      const text = captured.endsWith("\n") ? captured.slice(0, -1) : captured;
      captured = "";
      write(level, text);
    };
  }
}

/** Restores the real console methods. */
export function removeConsoleRouting(): void {
  for (const [level, fn] of originals) (console as unknown as Record<Level, unknown>)[level] = fn;
  originals.clear();
}
