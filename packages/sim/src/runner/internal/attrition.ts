// Built-in attrition: the loop that asks @moonpool/chaos's AttritionPlanner for reboots while
// the chaos window is open, and hands each plan to the seed's reboot mechanics.
import {
  type AttritionCandidate,
  type AttritionConfig,
  AttritionPlanner,
  type RebootKind,
} from "@moonpool/chaos";
import type { TraceFields } from "../trace.ts";
import type { FaultContext } from "../types.ts";

/** What the attrition loop needs from the seed. */
export interface AttritionHost {
  /** Every process, alive or not ("alive" is false while rebooting or down). */
  candidates(): readonly AttritionCandidate[];
  reboot(ip: string, kind: RebootKind, timing: { graceMs: number; restartMs: number }): boolean;
  trace(fields: TraceFields): void;
  /** Relative odds of a domain (correlated bursts), or undefined for a uniform choice. */
  readonly domainWeight: ((domain: string, targets: readonly string[]) => number) | undefined;
}

/**
 * Sleeps a planned interval, asks the planner for a reboot that keeps the dead count within
 * `maxDead` (a whole machine or zone under those scopes), reboots its targets, until the chaos
 * window ends (the fault's actor is then killed, so no reboot starts in the quiet tail).
 */
export async function runAttrition(
  f: FaultContext,
  config: AttritionConfig,
  host: AttritionHost,
): Promise<void> {
  const planner = new AttritionPlanner(config);
  const rng = f.random;
  while (!f.chaosEnded.aborted) {
    await f.time.sleep(planner.nextAttemptDelayMs(rng), f.chaosEnded);
    const plan = planner.choose(host.candidates(), rng, host.domainWeight);
    if (plan === null) continue;
    host.trace({
      domain: plan.domain,
      kind: plan.kind,
      targets: plan.targets.length,
      graceMs: plan.gracePeriodMs,
      restartMs: plan.restartDelayMs,
      // the chosen domain's burst multiplier (no draw: bursts only move with time)
      ...(host.domainWeight ? { burst: host.domainWeight(plan.domain, plan.targets) } : {}),
    });
    for (const ip of plan.targets)
      host.reboot(ip, plan.kind, { graceMs: plan.gracePeriodMs, restartMs: plan.restartDelayMs });
  }
}
