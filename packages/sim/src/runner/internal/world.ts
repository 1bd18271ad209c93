// One seed's orchestration on top of the executor: topology, process boots and reboots,
// workload phases, faults, the chaos window, quiescence handling and invariants.
import {
  type AttritionConfig,
  defaultAttrition,
  type Locality,
  type MsRange,
  sampleRange,
} from "@moonpool/chaos";
import { InvalidArgumentError, type TimeProvider } from "@moonpool/core";
import { SimulationError } from "../../engine/errors.ts";
import type { ActorFactory, ActorScope, SimKernel, TimerHandle, Waker } from "../../engine/kernel.ts";
import { createSeedDevices, type RebootKind, type SeedDevices } from "../devices.ts";
import type { TraceRecorder } from "../trace.ts";
import type { FaultContext, Process, ProcessInfo, SimContext, Workload } from "../types.ts";
import { runAttrition } from "./attrition.ts";
import { createContext, type DrawLabel } from "./context.ts";
import { isAbortLike, toError, withContext } from "./errors.ts";
import { LazyAbort } from "./lazy-abort.ts";
import type { SimulationPlan } from "./plan.ts";
import { newProcessInstance } from "./process-instances.ts";
import { machineDomain, SeedChaos } from "./seed-chaos.ts";

interface ProcessSlot {
  readonly name: string;
  readonly ip: string;
  readonly factory: () => Process;
  /** 1-based index of the slot's `.processes()` group (error messages). */
  readonly group: number;
  /** The instance of the next boot when already made (the first boot's names the group). */
  nextInstance: Process | null;
  readonly locality: Locality | undefined;
  readonly tags: Readonly<Record<string, string>>;
  alive: boolean;
  rebooting: boolean;
  generation: number;
  scope: ActorScope | null;
  /** Created at each boot (null before the first). */
  shutdown: LazyAbort | null;
}

interface WorkloadSlot {
  readonly name: string;
  readonly ip: string;
  readonly instance: Workload;
  readonly scope: ActorScope;
  readonly ctx: SimContext;
}

/** Timing of one reboot, in ms: shutdown signal to kill (graceful only), kill to restart. */
export interface RebootTiming {
  readonly graceMs: number;
  readonly restartMs: number;
}

// Abort reasons are created once: a DOMException per abort (Node's default) captures a stack
// and costs more than the rest of a small seed. They are AbortErrors like the default ones.
const SHUTDOWN = new DOMException("the simulation is shutting down", "AbortError");
const REBOOT = new DOMException("the process is rebooting", "AbortError");
const CHAOS_ENDED = new DOMException("the chaos window ended", "AbortError");

/** The state of one running seed. */
export class SeedWorld {
  readonly kernel: SimKernel;
  readonly devices: SeedDevices;
  readonly state = new Map<string, unknown>();
  readonly directory: { name: string; ip: string }[] = [];
  readonly drawLog: DrawLabel[] | null;
  private readonly plan: SimulationPlan;
  private readonly actors: ActorFactory;
  private readonly recorder: TraceRecorder;
  private readonly globalShutdown = new LazyAbort();
  private readonly chaosEnded = new LazyAbort();
  /** Devices' `onChaosEnd` callbacks, run before the `chaosEnded` signal's listeners. */
  private readonly chaosEndCallbacks: (() => void)[] = [];
  private readonly processes: ProcessSlot[] = [];
  private readonly workloads: WorkloadSlot[] = [];
  private readonly faultScopes: ActorScope[] = [];
  private quiescenceWaiter: Waker<void> | null = null;
  /** Woken when every process is up again (the quiet tail before the checks). */
  private restartWaiter: Waker<void> | null = null;
  /** Set once the processes' shutdown began: from then on no process boots. */
  private processShutdownBegun = false;
  /** The end of the chaos window, cancelled when the workloads finish first. */
  private chaosTimer: TimerHandle | null = null;
  private invariantFailed = false;
  /** Grace and restart ranges of reboots asked for by faults (`FaultContext.reboot`). */
  private readonly grace: MsRange;
  private readonly recovery: MsRange;
  /** This seed's chaos, resolved with @moonpool/chaos (set once the topology is known). */
  chaos!: SeedChaos;

  constructor(
    plan: SimulationPlan,
    kernel: SimKernel,
    actors: ActorFactory,
    recorder: TraceRecorder,
    drawLog: DrawLabel[] | null,
  ) {
    this.plan = plan;
    this.kernel = kernel;
    this.actors = actors;
    this.recorder = recorder;
    this.drawLog = drawLog;
    // Process placement first: burst domains are the machines.
    this.placeProcesses();
    const domains = [...new Set(this.processes.map((p) => machineDomain(p.ip, p.locality)))];
    this.chaos = new SeedChaos(kernel, plan.chaos, this.chaosEnded, domains);
    const timing = this.chaos.config.attrition ?? defaultAttrition();
    this.grace = timing.gracePeriod;
    this.recovery = timing.restartDelay;
    const chaos = this.chaos;
    const chaosEnded = this.chaosEnded;
    const chaosEndCallbacks = this.chaosEndCallbacks;
    this.devices = createSeedDevices(kernel, {
      chaos: plan.chaos,
      get chaosEnded() {
        return chaosEnded.signal;
      },
      onChaosEnd: (fn) => {
        if (chaosEnded.aborted) fn();
        else chaosEndCallbacks.push(fn);
      },
      resolved: chaos.config,
      ...(chaos.bursts !== null ? { faultMultiplier: () => chaos.faultMultiplier() } : {}),
    });
  }

  /** The root of the seed: boot, setup, run, quiet tail, check, shutdown, settle. */
  async main(): Promise<void> {
    this.buildWorkloads();
    if (this.plan.chaosDurationMs !== undefined) {
      this.chaosTimer = this.kernel.schedule(this.plan.chaosDurationMs, "chaos window end", () =>
        this.endChaos("chaos window ended"),
      );
    }
    // Processes boot before workloads start: wait until every process task has begun.
    await Promise.all(this.processes.map((slot) => this.boot(slot)));
    this.startFaults();
    await Promise.all(this.workloads.filter((w) => w.instance.setup).map((w) => this.phase(w, "setup")));
    await Promise.all(
      this.workloads.map((w) =>
        this.phase(w, "run").then(
          () => this.workloadFinished(w),
          (error) => {
            this.workloadFinished(w);
            throw error;
          },
        ),
      ),
    );
    // The end of a run: faults healed (quiet tail), processes back up, the checks while the
    // processes still run, then their shutdown and quiescence.
    this.endChaos("workloads finished");
    await this.everyProcessUp();
    for (const w of this.workloads) if (w.instance.check) await this.phase(w, "check");
    this.beginProcessShutdown("checks done");
    await this.quiescence();
    // Events recorded after the last engine event (e.g. by a check) still meet the invariants.
    if (this.plan.invariants.length > 0) this.checkInvariants();
  }

  /** Only unref'd timers are left: the end-of-run wait for quiescence is over. */
  onIdle(): boolean {
    return this.wakeQuiescenceWaiter();
  }

  /** Called by the executor when nothing is ready and no event is queued. */
  onQuiescent(): boolean {
    if (this.wakeQuiescenceWaiter()) return true;
    if (!this.globalShutdown.aborted) {
      this.kernel.trace("sim", "shutdown", { reason: "quiescent before workloads finished" });
      this.globalShutdown.abort(SHUTDOWN);
      this.beginProcessShutdown("quiescent before workloads finished");
      return true;
    }
    if (!this.processShutdownBegun) {
      // Stuck after the workloads (a check waiting on a server, a restart that never comes).
      this.beginProcessShutdown("quiescent before the checks finished");
      return true;
    }
    return false;
  }

  /** Runs every invariant against the trace; the first failure fails the seed. */
  checkInvariants(): void {
    if (this.invariantFailed) return;
    const now = this.kernel.nowMs();
    for (const invariant of this.plan.invariants) {
      try {
        invariant.check(this.recorder, now);
      } catch (thrown) {
        this.invariantFailed = true;
        const error = toError(thrown, `invariant "${invariant.name}"`);
        this.kernel.fail(
          new SimulationError(
            "invariant",
            this.kernel.seed,
            `invariant "${invariant.name}" failed at ${now} ms: ${error.message}`,
            {
              cause: error,
            },
          ),
        );
        return;
      }
    }
  }

  /** Removes what this seed installed process-wide. */
  dispose(): void {
    this.chaos.dispose();
  }

  /** An actor's time as its context sees it (buggified sleeps while chaos is on). */
  actorTime(scope: ActorScope): TimeProvider {
    return this.chaos.actorTime(scope.time);
  }

  peerIp(name: string): string {
    const found = this.directory.find((a) => a.name === name);
    if (found) return found.ip;
    const known = this.directory.map((a) => a.name).join(", ");
    throw new InvalidArgumentError("peer(name)", `no actor named "${name}" (known: ${known})`);
  }

  private addName(name: string, ip: string): void {
    if (this.directory.some((a) => a.name === name)) {
      throw new InvalidArgumentError("actor name", `two actors are named "${name}"; names must be unique`);
    }
    this.directory.push({ name, ip });
  }

  /** Draws the per-seed process counts and places every process (before chaos is resolved). */
  private placeProcesses(): void {
    let index = 0;
    const groupNames = new Set<string>();
    for (const [g, group] of this.plan.processGroups.entries()) {
      const count =
        typeof group.count === "number"
          ? group.count
          : this.kernel.random.int(group.count[0], group.count[1] + 1);
      const suffixed = typeof group.count !== "number" || group.count !== 1;
      let groupName: string | undefined;
      for (let i = 0; i < count; i++) {
        index += 1;
        const first = newProcessInstance(group.factory, g + 1, "first boot");
        if (groupName === undefined) {
          groupName = first.name;
          if (groupNames.has(groupName)) {
            throw new InvalidArgumentError(
              "processes(factory)",
              `two process groups are named "${groupName}"; give each group its own name`,
            );
          }
          groupNames.add(groupName);
        }
        const name = suffixed ? `${groupName}-${i}` : groupName;
        const ip = `10.0.1.${index}`;
        this.addName(name, ip);
        this.processes.push({
          name,
          ip,
          factory: group.factory,
          group: g + 1,
          nextInstance: first,
          locality: group.locality?.(i),
          tags: group.tags?.(i) ?? {},
          alive: false,
          rebooting: false,
          generation: 0,
          scope: null,
          shutdown: null,
        });
      }
    }
  }

  private buildWorkloads(): void {
    const instances: Workload[] = [];
    for (const source of this.plan.workloads) {
      if (source.kind === "instance") {
        source.restore();
        instances.push(source.workload);
      } else if (source.kind === "factory")
        instances.push(checkWorkload(source.factory(), "workload(factory)"));
      else
        for (let i = 0; i < source.count; i++)
          instances.push(checkWorkload(source.factory(i), "workloads(count, factory)"));
    }
    if (instances.length > 254)
      throw new InvalidArgumentError("workloads", "at most 254 workloads per simulation");
    instances.forEach((instance, i) => {
      const ip = `10.0.0.${i + 1}`;
      this.addName(instance.name, ip);
      const scope = this.actors.createActor(instance.name, ip, {
        driftMs: this.chaos.actorDriftMs(instance.name, ip),
      });
      const ctx = createContext(this, scope, instance.name, ip, this.globalShutdown);
      this.workloads.push({ name: instance.name, ip, instance, scope, ctx });
    });
  }

  /** Boots a new instance; the promise resolves once its run() has started. */
  private boot(slot: ProcessSlot): Promise<void> {
    const instance = slot.nextInstance ?? newProcessInstance(slot.factory, slot.group, "restart");
    slot.nextInstance = null;
    slot.generation += 1;
    slot.alive = true;
    slot.rebooting = false;
    const shutdown = new LazyAbort();
    slot.shutdown = shutdown;
    const scope = this.actors.createActor(slot.name, slot.ip, {
      driftMs: this.chaos.actorDriftMs(slot.name, slot.ip),
    });
    slot.scope = scope;
    const ctx = createContext(this, scope, slot.name, slot.ip, shutdown);
    this.kernel.trace("sim", "process_boot", { name: slot.name, ip: slot.ip, generation: slot.generation });
    const kernel = this.kernel;
    const started = kernel.waker<void>(`boot of ${slot.name}`);
    scope.task.spawn(`${slot.name}.run`, async () => {
      started.wake();
      this.wakeIfEveryProcessUp();
      try {
        await instance.run(ctx);
        kernel.trace("sim", "process_exit", { name: slot.name, ip: slot.ip });
      } catch (thrown) {
        if (shutdown.aborted && isAbortLike(thrown)) return;
        const error = toError(thrown, `process "${slot.name}" run()`);
        kernel.fail(withContext(error, `process "${slot.name}" (${slot.ip}) failed`));
      }
    });
    return started.promise;
  }

  /** Runs one workload phase as a task of its actor and waits for it. */
  private phase(w: WorkloadSlot, phase: "setup" | "run" | "check"): Promise<void> {
    const ctx = w.ctx;
    const instance = w.instance;
    const handle = w.scope.task.spawn(`${w.name}.${phase}`, async () => {
      try {
        await instance[phase]!(ctx);
      } catch (thrown) {
        if (phase === "run" && ctx.shutdown.aborted && isAbortLike(thrown)) return;
        const error = toError(thrown, `workload "${w.name}" ${phase}()`);
        throw withContext(error, `workload "${w.name}" ${phase}() failed`);
      }
    });
    return handle.join();
  }

  /** The first workload to finish ends the others' runs (their `shutdown` aborts). */
  private workloadFinished(w: WorkloadSlot): void {
    this.kernel.trace("sim", "workload_done", { name: w.name });
    if (!this.globalShutdown.aborted) {
      this.kernel.trace("sim", "shutdown", { reason: `workload "${w.name}" finished` });
      this.globalShutdown.abort(SHUTDOWN);
    }
  }

  /** The processes' shutdown: their `shutdown` signals abort, and no process boots again. */
  private beginProcessShutdown(reason: string): void {
    if (this.processShutdownBegun) return;
    this.processShutdownBegun = true;
    this.kernel.trace("sim", "process_shutdown", { reason });
    for (const slot of this.processes) if (slot.alive) slot.shutdown?.abort(SHUTDOWN);
    this.restartWaiter?.wake();
    this.restartWaiter = null;
  }

  /** Resolves once no process is down or rebooting (restarts come on schedule in the tail). */
  private everyProcessUp(): Promise<void> {
    if (this.processes.every((p) => p.alive && !p.rebooting)) return Promise.resolve();
    this.kernel.trace("sim", "await_restarts", {
      down: this.processes.filter((p) => !p.alive || p.rebooting).length,
    });
    const waiter = this.kernel.waker<void>("quiet tail: processes restarting");
    this.restartWaiter = waiter;
    return waiter.promise;
  }

  private wakeIfEveryProcessUp(): void {
    if (this.restartWaiter === null) return;
    if (!this.processes.every((p) => p.alive && !p.rebooting)) return;
    this.restartWaiter.wake();
    this.restartWaiter = null;
  }

  private wakeQuiescenceWaiter(): boolean {
    const waiter = this.quiescenceWaiter;
    if (waiter === null) return false;
    this.quiescenceWaiter = null;
    waiter.wake();
    return true;
  }

  private quiescence(): Promise<void> {
    const waiter = this.kernel.waker<void>("quiescence");
    this.quiescenceWaiter = waiter;
    return waiter.promise;
  }

  private endChaos(reason: string): void {
    if (this.chaosEnded.aborted) return;
    this.kernel.trace("sim", "chaos_end", { reason });
    this.chaosTimer?.cancel();
    this.chaosTimer = null;
    for (const fn of this.chaosEndCallbacks.splice(0)) fn();
    this.chaosEnded.abort(CHAOS_ENDED);
    for (const scope of this.faultScopes) scope.kill("chaos window ended");
  }

  private startFaults(): void {
    const faults = [...this.plan.faults];
    const attrition = this.chaos.config.attrition;
    if (attrition !== null) faults.push({ name: "attrition", inject: (f) => this.attrition(f, attrition) });
    faults.forEach((fault, i) => {
      const name = `fault:${fault.name}`;
      const scope = this.actors.createActor(name, `10.0.2.${i + 1}`);
      this.faultScopes.push(scope);
      const ctx = this.faultContext(scope);
      const kernel = this.kernel;
      scope.task.spawn(name, async () => {
        try {
          await fault.inject(ctx);
        } catch (thrown) {
          if (ctx.chaosEnded.aborted && isAbortLike(thrown)) return;
          kernel.fail(withContext(toError(thrown, `fault "${fault.name}"`), `fault "${fault.name}" failed`));
        }
      });
    });
  }

  private faultContext(scope: ActorScope): FaultContext {
    const devices = this.devices;
    const chaosEnded = this.chaosEnded;
    const checkIp = (argument: string, ip: string) => {
      if (!this.directory.some((a) => a.ip === ip)) {
        const known = this.directory.map((a) => `${a.name}=${a.ip}`).join(", ");
        throw new InvalidArgumentError(argument, `no actor has IP "${ip}" (known: ${known})`);
      }
    };
    return {
      time: scope.time,
      random: scope.random,
      get chaosEnded() {
        return chaosEnded.signal;
      },
      processes: () => this.processes.map((p): ProcessInfo => this.processInfo(p)),
      partition: (from, to, ms, options) => {
        checkIp("partition(fromIp)", from);
        checkIp("partition(toIp)", to);
        devices.partition(from, to, ms, options);
      },
      partitionBoth: (a, b, ms, options) => {
        checkIp("partitionBoth(a)", a);
        checkIp("partitionBoth(b)", b);
        devices.partition(a, b, ms, options);
        devices.partition(b, a, ms, options);
      },
      heal: (a, b) => devices.heal(a, b),
      reboot: (ip, kind) => this.reboot(ip, kind),
    };
  }

  private processInfo(p: ProcessSlot): ProcessInfo {
    return { name: p.name, ip: p.ip, locality: p.locality, tags: p.tags };
  }

  /**
   * Reboots the process at `ip` (see `FaultContext.reboot`); `timing` comes from the attrition
   * plan, or is drawn from the attrition config's ranges (defaults without attrition).
   */
  reboot(ip: string, kind: RebootKind, timing?: RebootTiming): boolean {
    const slot = this.processes.find((p) => p.ip === ip);
    if (slot === undefined) {
      const known = this.processes.map((p) => `${p.name}=${p.ip}`).join(", ");
      throw new InvalidArgumentError("reboot(ip)", `no process has IP "${ip}" (known: ${known || "none"})`);
    }
    if (kind !== "graceful" && kind !== "crash" && kind !== "wipe") {
      throw new InvalidArgumentError(
        "reboot(kind)",
        `expected "graceful", "crash" or "wipe", got ${String(kind)}`,
      );
    }
    if (!slot.alive || slot.rebooting) return false;
    slot.rebooting = true;
    this.kernel.trace("sim", "sim_fault", { kind: "reboot", ip, reboot: kind });
    this.kernel.trace("sim", "process_reboot", { name: slot.name, ip, kind });
    const restartMs = timing?.restartMs;
    if (kind === "graceful") {
      const grace = timing?.graceMs ?? sampleRange(this.grace, this.kernel.random);
      this.kernel.trace("sim", "process_graceful_shutdown", { ip, graceMs: grace });
      slot.shutdown?.abort(REBOOT);
      this.kernel.schedule(grace, `grace period of ${slot.name}`, () => this.down(slot, kind, restartMs));
    } else {
      this.down(slot, kind, restartMs);
    }
    return true;
  }

  private down(slot: ProcessSlot, kind: RebootKind, restartMs: number | undefined): void {
    slot.scope?.kill(`process ${slot.name} rebooted (${kind})`);
    slot.scope = null;
    slot.alive = false;
    this.devices.crash(slot.ip, kind);
    const delay = restartMs ?? sampleRange(this.recovery, this.kernel.random);
    this.kernel.trace("sim", "process_down", { ip: slot.ip, kind, restartInMs: delay });
    this.kernel.schedule(delay, `restart of ${slot.name}`, () => {
      if (this.processShutdownBegun) {
        // The run is ending: a process restarted now would see an aborted shutdown at once.
        this.kernel.trace("sim", "process_restart_skipped", { name: slot.name, ip: slot.ip });
        return;
      }
      try {
        void this.boot(slot);
      } catch (thrown) {
        this.kernel.fail(
          withContext(toError(thrown, "processes(factory)"), `restarting process "${slot.name}" failed`),
        );
      }
    });
  }

  /** Attrition through chaos's planner while the chaos window is open (see attrition.ts). */
  private attrition(f: FaultContext, config: AttritionConfig): Promise<void> {
    return runAttrition(f, config, {
      candidates: () =>
        this.processes.map((p) => ({
          ip: p.ip,
          alive: p.alive && !p.rebooting,
          ...(p.locality !== undefined ? { locality: p.locality } : {}),
          tags: p.tags,
        })),
      reboot: (ip, kind, timing) => this.reboot(ip, kind, timing),
      trace: (fields) => this.kernel.trace("sim", "attrition", fields),
      domainWeight:
        this.chaos.bursts === null
          ? undefined
          : (_domain, targets) => {
              let sum = 0;
              for (const ip of targets) {
                const p = this.processes.find((x) => x.ip === ip)!;
                sum += this.chaos.domainMultiplier(machineDomain(p.ip, p.locality));
              }
              return sum / targets.length;
            },
    });
  }
}

function checkWorkload(w: Workload, argument: string): Workload {
  if (
    w === null ||
    typeof w !== "object" ||
    typeof w.name !== "string" ||
    w.name === "" ||
    typeof w.run !== "function"
  ) {
    throw new InvalidArgumentError(
      argument,
      "expected a Workload: an object with a non-empty name and a run(ctx) method",
    );
  }
  return w;
}
