import type { AttritionConfig, Locality, RebootKind } from "./attrition-config.ts";
import { sampleRange } from "./latency.ts";
import { drawInt, type RandomSource } from "./random-source.ts";

/** A process as the attrition planner sees it. */
export interface AttritionCandidate {
  readonly ip: string;
  /** False while rebooting (shutdown signalled, killed, not yet restarted). */
  readonly alive: boolean;
  /** Without a locality, a process is its own machine in its own zone. */
  readonly locality?: Locality;
  readonly tags?: Readonly<Record<string, string>>;
}

/** One reboot decided by the planner. */
export interface RebootPlan {
  /** Processes to reboot together (one, or a whole machine/zone), in input order. */
  readonly targets: readonly string[];
  readonly kind: RebootKind;
  /** The domain rebooted: the IP, `dc/zone/machine` or `dc/zone`. */
  readonly domain: string;
  /** Graceful only (0 otherwise): shutdown signal to kill. */
  readonly gracePeriodMs: number;
  /** Kill to restart. */
  readonly restartDelayMs: number;
}

function domainOf(c: AttritionCandidate, scope: AttritionConfig["scope"]): string {
  if (scope === "process") return c.ip;
  if (!c.locality) return c.ip;
  const { datacenter, zone, machine } = c.locality;
  return scope === "zone" ? `${datacenter}/${zone}` : `${datacenter}/${zone}/${machine}`;
}

function matchesTags(c: AttritionCandidate, tags: Readonly<Record<string, string>>): boolean {
  for (const key in tags) if (c.tags?.[key] !== tags[key]) return false;
  return true;
}

/**
 * Decides reboots for the built-in attrition, as pure logic over a random source. The simulator
 * runs the loop while chaos is active:
 *
 * ```ts
 * const planner = new AttritionPlanner(config);
 * while (chaosActive()) {
 *   await sleep(planner.nextAttemptDelayMs(rng));
 *   const plan = planner.choose(processes(), rng);
 *   if (plan) reboot(plan);       // graceful: signal, wait gracePeriodMs, kill; restart after restartDelayMs
 * }
 * ```
 *
 * A plan never makes the number of dead processes exceed `maxDead`: a machine or zone is only
 * chosen when all of its live members can go down together.
 */
export class AttritionPlanner {
  readonly config: AttritionConfig;

  constructor(config: AttritionConfig) {
    this.config = config;
  }

  /** Time until the next reboot attempt, in ms. */
  nextAttemptDelayMs(rng: RandomSource): number {
    return sampleRange(this.config.interval, rng);
  }

  /** The reboot kind, from the configured weights (crash when every weight is 0). */
  chooseKind(rng: RandomSource): RebootKind {
    const { graceful, crash, wipe } = this.config.weights;
    const total = graceful + crash + wipe;
    if (total <= 0) return "crash";
    const u = rng.random() * total;
    if (u < graceful) return "graceful";
    if (u < graceful + crash) return "crash";
    return "wipe";
  }

  /**
   * The next reboot given every process (alive or not), or null when none fits under `maxDead`
   * (or no process matches the tags). Among the domains with live, tag-matching processes whose
   * reboot keeps `dead + group <= maxDead`, one is chosen uniformly, or in proportion to
   * `weight(domain, targets)` when given (e.g. a correlated-burst multiplier, so bursting domains
   * are rebooted more often). Either way the choice costs one draw.
   */
  choose(
    processes: readonly AttritionCandidate[],
    rng: RandomSource,
    weight?: (domain: string, targets: readonly string[]) => number,
  ): RebootPlan | null {
    const { maxDead, scope, tags } = this.config;
    let dead = 0;
    for (const p of processes) if (!p.alive) dead++;
    if (dead >= maxDead) return null;
    const groups = new Map<string, string[]>();
    for (const p of processes) {
      if (!p.alive || !matchesTags(p, tags)) continue;
      const domain = domainOf(p, scope);
      const group = groups.get(domain);
      if (group) group.push(p.ip);
      else groups.set(domain, [p.ip]);
    }
    const fitting = [...groups].filter(([, members]) => dead + members.length <= maxDead);
    if (fitting.length === 0) return null;
    const [domain, targets] = weight
      ? weightedPick(fitting, rng, weight)
      : fitting[drawInt(rng, 0, fitting.length)]!;
    const kind = this.chooseKind(rng);
    const gracePeriodMs = kind === "graceful" ? sampleRange(this.config.gracePeriod, rng) : 0;
    return {
      targets,
      kind,
      domain,
      gracePeriodMs,
      restartDelayMs: sampleRange(this.config.restartDelay, rng),
    };
  }
}

/** One draw: a domain picked in proportion to its weight (uniformly when every weight is 0). */
function weightedPick(
  fitting: readonly (readonly [string, string[]])[],
  rng: RandomSource,
  weight: (domain: string, targets: readonly string[]) => number,
): readonly [string, string[]] {
  const weights = fitting.map(([d, t]) => {
    const w = weight(d, t);
    return Number.isFinite(w) && w > 0 ? w : 0;
  });
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return fitting[drawInt(rng, 0, fitting.length)]!;
  let u = rng.random() * total;
  for (let i = 0; i < fitting.length; i++) {
    u -= weights[i]!;
    if (u < 0) return fitting[i]!;
  }
  return fitting[fitting.length - 1]!;
}
