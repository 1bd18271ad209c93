import type { MsRange } from "./latency.ts";
import { drawBetween, type RandomSource } from "./random-source.ts";

/** How a process is rebooted. */
export type RebootKind =
  /** Shutdown signal, `gracePeriod` to finish, then killed; storage is not crashed. */
  | "graceful"
  /** Killed at once with its sockets and pending I/O; unsynced writes meet the crash model. */
  | "crash"
  /** A crash, then every file the process owns is deleted (a replaced disk). */
  | "wipe";

/** What one attrition reboot takes down: one process, one machine or one zone. */
export type AttritionScope = "process" | "machine" | "zone";

/** Where a process runs (`datacenter/zone/machine`); ids are unique within their parent. */
export interface Locality {
  readonly datacenter: string;
  readonly zone: string;
  readonly machine: string;
}

/**
 * Automatic reboots during the chaos window. A reboot never takes the number of dead processes
 * (rebooting and not yet restarted) above `maxDead`. See the README for the table.
 */
export interface AttritionConfig {
  /** Most processes down at once. Default 1. 0 disables attrition. */
  readonly maxDead: number;
  /** Relative weights of the reboot kinds. Default graceful 0.3, crash 0.7, wipe 0 (opt in). */
  readonly weights: { readonly graceful: number; readonly crash: number; readonly wipe: number };
  /** Time between two reboot attempts. Default 1000-5000 ms. */
  readonly interval: MsRange;
  /** Graceful only: time between the shutdown signal and the kill. Default 2000-5000 ms. */
  readonly gracePeriod: MsRange;
  /** Time from the kill to the restart. Default 1000-10000 ms. */
  readonly restartDelay: MsRange;
  /** Default "process". "machine" and "zone" reboot a whole failure domain together. */
  readonly scope: AttritionScope;
  /** Only processes carrying all of these tags are candidates. Default {} (all processes). */
  readonly tags: Readonly<Record<string, string>>;
}

/** Attrition defaults (used for every field a config object leaves out). */
export function defaultAttrition(): AttritionConfig {
  return {
    maxDead: 1,
    weights: { graceful: 0.3, crash: 0.7, wipe: 0 },
    interval: { minMs: 1000, maxMs: 5000 },
    gracePeriod: { minMs: 2000, maxMs: 5000 },
    restartDelay: { minMs: 1000, maxMs: 10_000 },
    scope: "process",
    tags: {},
  };
}

/**
 * Attrition with weights and timings drawn for this seed (`.chaos({ attrition: "random" })`).
 * `maxDead` and `scope` stay at their defaults (1, "process"): a random `maxDead` could exceed
 * what the system under test is designed to survive. Wipe stays opt-in.
 */
export function randomAttrition(rng: RandomSource): AttritionConfig {
  const d = defaultAttrition();
  return {
    ...d,
    weights: { graceful: drawBetween(rng, 0, 1), crash: drawBetween(rng, 0.2, 1), wipe: 0 },
    interval: { minMs: drawBetween(rng, 200, 2000), maxMs: drawBetween(rng, 2000, 10_000) },
    gracePeriod: { minMs: drawBetween(rng, 0, 2000), maxMs: drawBetween(rng, 2000, 5000) },
    restartDelay: { minMs: drawBetween(rng, 0, 1000), maxMs: drawBetween(rng, 1000, 10_000) },
  };
}
