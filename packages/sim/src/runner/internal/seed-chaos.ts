// One seed's chaos, resolved once with @moonpool/chaos and applied by the runner: the chaos
// runtime (buggify, operation swarm), correlated bursts (the device fault multiplier and
// attrition's domain weights), per-actor clock drift bounds and buggified sleep delays.
import {
  type ChaosInput,
  CorrelatedBursts,
  installChaosRuntime,
  type Locality,
  type ResolvedChaosConfig,
  resolveChaosConfig,
  sleepDelayMs,
  swarmOpMask,
} from "@moonpool/chaos";
import type { TimeProvider } from "@moonpool/core";
import type { SimKernel } from "../../engine/kernel.ts";
import type { ChaosOptions } from "../types.ts";

/** What `.chaos()` was given, as @moonpool/chaos's `ChaosInput` (undefined: no chaos). */
export function toChaosInput(options: ChaosOptions | undefined): ChaosInput | undefined {
  if (options === undefined) return undefined;
  const { buggify, operations: _operations, ...rest } = options;
  return {
    ...rest,
    ...(buggify !== undefined && buggify !== true ? { buggify } : {}),
  };
}

/** Whether `.chaos()` asks for operation swarm (explicitly, or through any "swarm" family). */
export function operationSwarm(options: ChaosOptions | undefined): boolean {
  if (options === undefined || options.operations === false) return false;
  if (options.operations === "swarm") return true;
  return (["network", "storage", "attrition", "buggify", "bursts"] as const).some(
    (k) => options[k] === "swarm",
  );
}

/** The failure domain a process belongs to for bursts: its machine, or itself without locality. */
export function machineDomain(ip: string, locality: Locality | undefined): string {
  return locality ? `${locality.datacenter}/${locality.zone}/${locality.machine}` : ip;
}

let quiet: ResolvedChaosConfig | null = null;

/** The resolved config of a simulation without `.chaos()`, frozen: every seed shares it. */
function quietConfig(): ResolvedChaosConfig {
  quiet ??= deepFreeze(
    resolveChaosConfig(undefined, {
      random: () => {
        throw new Error("resolving no chaos drew a random number");
      },
    }),
  );
  return quiet;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The chaos of one seed. */
export class SeedChaos {
  readonly config: ResolvedChaosConfig;
  /** Null when bursts are off. */
  readonly bursts: CorrelatedBursts | null;
  private readonly kernel: SimKernel;
  private readonly ended: { readonly aborted: boolean };
  private readonly sleepDelayOn: boolean;

  /**
   * Resolves `.chaos()` for the seed (from the configuration stream) and installs the chaos
   * runtime. `domains` are the burst failure domains (one per machine).
   */
  constructor(
    kernel: SimKernel,
    options: ChaosOptions | undefined,
    ended: { readonly aborted: boolean },
    domains: readonly string[],
  ) {
    this.kernel = kernel;
    this.ended = ended;
    // Without `.chaos()` the resolution draws nothing and is the same every seed: shared.
    const config =
      options === undefined ? quietConfig() : resolveChaosConfig(toChaosInput(options), kernel.swarmRandom);
    this.config = config;
    const random = { random: () => kernel.random.random() };
    this.bursts =
      config.bursts === null
        ? null
        : new CorrelatedBursts(config.bursts, domains.length > 0 ? domains : ["cluster"], random);
    this.sleepDelayOn = config.buggify.enabled && config.families.sleepDelay;
    const swarm = operationSwarm(options);
    const seed = kernel.seed;
    installChaosRuntime({
      random: () => kernel.random.random(),
      chaosActive: () => !ended.aborted,
      buggifyEnabled: config.buggify.enabled,
      buggifyProbability: config.buggify.probability,
      buggifyActivation: config.buggify.activation,
      ...(swarm ? { swarmOpEnabled: (opId: string) => swarmOpMask(seed, opId) } : {}),
    });
  }

  /** Bound of every process's and workload's clock drift, in ms (0 = none). */
  get maxDriftMs(): number {
    return this.config.network.clockDrift.maxDriftMs;
  }

  /**
   * The drift bound of an actor created now: `maxDriftMs` during the chaos window (traced as a
   * `sim_fault` `clock_drift`), 0 for a process booted in the quiet tail (faults have stopped).
   */
  actorDriftMs(name: string, ip: string): number {
    const maxDriftMs = this.ended.aborted ? 0 : this.maxDriftMs;
    if (maxDriftMs > 0) this.kernel.trace("sim", "sim_fault", { kind: "clock_drift", name, ip, maxDriftMs });
    return maxDriftMs;
  }

  /**
   * The cluster-wide fault probability multiplier now (1 without bursts or after the window):
   * handed to the devices, which scale their fault probabilities by it.
   */
  faultMultiplier(): number {
    if (this.bursts === null || this.ended.aborted) return 1;
    return this.bursts.multiplier("", this.kernel.nowMs());
  }

  /** A domain's burst multiplier now (1 without bursts). */
  domainMultiplier(domain: string): number {
    if (this.bursts === null || this.ended.aborted) return 1;
    return this.bursts.multiplier(domain, this.kernel.nowMs());
  }

  /**
   * `time` with buggified sleeps: while buggify is on and the window open, a sleep (and a
   * timeout's deadline) occasionally gets up to `network.sleepDelay.maxMs` extra (power law).
   */
  actorTime(time: TimeProvider): TimeProvider {
    if (!this.sleepDelayOn) return time;
    const cfg = this.config.network;
    const kernel = this.kernel;
    const ended = this.ended;
    const extra = (ms: number): number => {
      if (ended.aborted || !Number.isFinite(ms) || ms < 0) return ms;
      const add = sleepDelayMs(cfg, kernel.random, this.faultMultiplier());
      if (add >= 1) kernel.trace("sim", "sim_fault", { kind: "sleep_delay", ms, extraMs: add });
      return ms + add;
    };
    return {
      now: () => time.now(),
      timer: () => time.timer(),
      sleep: (ms, signal) => time.sleep(extra(ms), signal),
      timeout: (ms, work) => time.timeout(extra(ms), work),
    };
  }

  /** Removes the chaos runtime (end of the seed). */
  dispose(): void {
    installChaosRuntime(null);
  }
}
