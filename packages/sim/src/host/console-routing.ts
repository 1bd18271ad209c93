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

/** The world whose drain routes console output (null: the real console methods run). */
let routed: HostedWorld | null = null;
/** Our method per level, left in place between drains while nobody replaces it. */
const installed = new Map<Level, (...args: unknown[]) => void>();

function write(level: Level, text: string): void {
  process.stderr.write(`${(routed as HostedWorld).consoleLine(level, text)}\n`);
}

function router(level: Level): (...args: unknown[]) => void {
  const layout = (LAYOUT_LEVELS as readonly string[]).includes(level);
  return (...args: unknown[]) => {
    if (routed === null) return (originals.get(level) as (...a: unknown[]) => void)(...args);
    if (!layout) return write(level, format(...args));
    captured = "";
    (layoutConsole[level] as (...a: unknown[]) => void)(...args);
    const text = captured.endsWith("\n") ? captured.slice(0, -1) : captured;
    captured = "";
    write(level, text);
  };
}

/**
 * Routes console output to `world` while it drains. The routing methods stay on `console`
 * between drains (they call the real ones then), so a drain only re-installs a method someone
 * else replaced in the meantime: writing nine properties per drain showed in small seeds' profiles.
 */
export function installConsoleRouting(world: HostedWorld): void {
  routed = world;
  for (const level of [...LEVELS, ...LAYOUT_LEVELS]) {
    const current = console[level] as (...args: unknown[]) => void;
    let mine = installed.get(level);
    if (current === mine) continue;
    originals.set(level, current);
    mine ??= router(level);
    installed.set(level, mine);
    (console as unknown as Record<Level, unknown>)[level] = mine;
  }
}

/** Ends the routing: the real console methods run again. */
export function removeConsoleRouting(): void {
  routed = null;
}
