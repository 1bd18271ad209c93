// One seed's orchestration on top of the executor: topology, process boots and reboots,
// workload phases, faults, the chaos window, quiescence handling and invariants.
import { installChaosRuntime } from "@moonpool/chaos";
import { InvalidArgumentError } from "@moonpool/core";
import { SimulationError } from "../../engine/errors.ts";
import type { ActorFactory, ActorScope, SimKernel, TimerHandle, Waker } from "../../engine/kernel.ts";
import { createSeedDevices, type RebootKind, type SeedDevices } from "../devices.ts";
import type { TraceRecorder } from "../trace.ts";
import type { AttritionOptions, FaultContext, Process, SimContext, Workload } from "../types.ts";
import { createContext, type DrawLabel } from "./context.ts";
import { isAbortLike, toError, withContext } from "./errors.ts";
import type { SimulationPlan } from "./plan.ts";

interface ProcessSlot {
  readonly name: string;
  readonly ip: string;
  readonly factory: () => Process;
  alive: boolean;
  rebooting: boolean;
  generation: number;
  scope: ActorScope | null;
  /** Created at each boot (null before the first). */
  shutdown: AbortController | null;
}

interface WorkloadSlot {
  readonly name: string;
  readonly ip: string;
  readonly instance: Workload;
  readonly scope: ActorScope;
  readonly ctx: SimContext;
}

type Range = readonly [number, number];
const DEFAULT_RECOVERY: Range = [1_000, 10_000];
const DEFAULT_GRACE: Range = [2_000, 5_000];
const DEFAULT_INTERVAL: Range = [1_000, 5_000];

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
  private readonly globalShutdown = new AbortController();
  private readonly chaosEnded = new AbortController();
  private readonly processes: ProcessSlot[] = [];
  private readonly workloads: WorkloadSlot[] = [];
  private readonly faultScopes: ActorScope[] = [];
  private quiescenceWaiter: Waker<void> | null = null;
  /** The end of the chaos window, cancelled when the workloads finish first. */
  private chaosTimer: TimerHandle | null = null;
  private invariantFailed = false;
  private readonly grace: Range;
  private readonly recovery: Range;

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
    const attrition = typeof plan.chaos?.attrition === "object" ? plan.chaos.attrition : undefined;
    this.grace = attrition?.gracePeriodMs ?? DEFAULT_GRACE;
    this.recovery = attrition?.recoveryDelayMs ?? DEFAULT_RECOVERY;
    this.devices = createSeedDevices(kernel, { chaos: plan.chaos, chaosEnded: this.chaosEnded.signal });
    this.installChaos();
  }

  /** The root of the seed: boot, setup, run, settle, check. */
  async main(): Promise<void> {
    this.buildTopology();
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
    this.endChaos("workloads finished");
    await this.quiescence();
    for (const w of this.workloads) if (w.instance.check) await this.phase(w, "check");
    // Events recorded after the last engine event (e.g. by a check) still meet the invariants.
    if (this.plan.invariants.length > 0) this.checkInvariants();
  }

  /** Called by the executor when nothing is ready and no event is queued. */
  onQuiescent(): boolean {
    const waiter = this.quiescenceWaiter;
    if (waiter !== null) {
      this.quiescenceWaiter = null;
      waiter.wake();
      return true;
    }
    if (!this.globalShutdown.signal.aborted) {
      this.kernel.trace("sim", "shutdown", { reason: "quiescent before workloads finished" });
      this.abortShutdown();
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
    installChaosRuntime(null);
  }

  peerIp(name: string): string {
    const found = this.directory.find((a) => a.name === name);
    if (found) return found.ip;
    const known = this.directory.map((a) => a.name).join(", ");
    throw new InvalidArgumentError("peer(name)", `no actor named "${name}" (known: ${known})`);
  }

  private installChaos(): void {
    const chaos = this.plan.chaos;
    const buggify = chaos?.buggify;
    const kernel = this.kernel;
    const signal = this.chaosEnded.signal;
    installChaosRuntime({
      random: () => kernel.random.random(),
      chaosActive: () => !signal.aborted,
      buggifyEnabled: chaos !== undefined && buggify !== false,
      ...(typeof buggify === "object" && buggify.probability !== undefined
        ? { buggifyProbability: buggify.probability }
        : {}),
      ...(typeof buggify === "object" && buggify.activation !== undefined
        ? { buggifyActivation: buggify.activation }
        : {}),
    });
  }

  private buildTopology(): void {
    const names = new Set<string>();
    const add = (name: string, ip: string) => {
      if (names.has(name)) {
        throw new InvalidArgumentError("actor name", `two actors are named "${name}"; names must be unique`);
      }
      names.add(name);
      this.directory.push({ name, ip });
    };
    let index = 0;
    for (const group of this.plan.processGroups) {
      const count =
        typeof group.count === "number"
          ? group.count
          : this.kernel.random.int(group.count[0], group.count[1] + 1);
      const suffixed = typeof group.count !== "number" || group.count !== 1;
      for (let i = 0; i < count; i++) {
        index += 1;
        const name = suffixed ? `${group.name}-${i}` : group.name;
        const ip = `10.0.1.${index}`;
        add(name, ip);
        this.processes.push({
          name,
          ip,
          factory: group.factory,
          alive: false,
          rebooting: false,
          generation: 0,
          scope: null,
          shutdown: null,
        });
      }
    }
    const instances: Workload[] = [];
    for (const source of this.plan.workloads) {
      if (source.kind === "instance") instances.push(source.workload);
      else if (source.kind === "factory")
        instances.push(checkWorkload(source.factory(), "workload(factory)"));
      else
        for (let i = 0; i < source.count; i++)
          instances.push(checkWorkload(source.factory(i), "workloads(count, factory)"));
    }
    if (instances.length > 254)
      throw new InvalidArgumentError("workloads", "at most 254 workloads per simulation");
    instances.forEach((instance, i) => {
      const ip = `10.0.0.${i + 1}`;
      add(instance.name, ip);
      const scope = this.actors.createActor(instance.name, ip);
      const ctx = createContext(this, scope, instance.name, ip, this.globalShutdown.signal);
      this.workloads.push({ name: instance.name, ip, instance, scope, ctx });
    });
  }

  /** Boots a new instance; the promise resolves once its run() has started. */
  private boot(slot: ProcessSlot): Promise<void> {
    const instance = slot.factory();
    if (instance === null || typeof instance !== "object" || typeof instance.run !== "function") {
      throw new InvalidArgumentError(
        "processes(factory)",
        `the factory must return a Process, got ${String(instance)}`,
      );
    }
    slot.generation += 1;
    slot.alive = true;
    slot.rebooting = false;
    const shutdownController = new AbortController();
    slot.shutdown = shutdownController;
    if (this.globalShutdown.signal.aborted) shutdownController.abort(SHUTDOWN);
    const scope = this.actors.createActor(slot.name, slot.ip);
    slot.scope = scope;
    const ctx = createContext(this, scope, slot.name, slot.ip, shutdownController.signal);
    this.kernel.trace("sim", "process_boot", { name: slot.name, ip: slot.ip, generation: slot.generation });
    const kernel = this.kernel;
    const shutdown = shutdownController.signal;
    const started = kernel.waker<void>(`boot of ${slot.name}`);
    scope.task.spawn(`${slot.name}.run`, async () => {
      started.wake();
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

  private workloadFinished(w: WorkloadSlot): void {
    this.kernel.trace("sim", "workload_done", { name: w.name });
    if (!this.globalShutdown.signal.aborted) {
      this.kernel.trace("sim", "shutdown", { reason: `workload "${w.name}" finished` });
      this.abortShutdown();
    }
  }

  private abortShutdown(): void {
    this.globalShutdown.abort(SHUTDOWN);
    for (const slot of this.processes) if (slot.alive) slot.shutdown?.abort(SHUTDOWN);
  }

  private quiescence(): Promise<void> {
    const waiter = this.kernel.waker<void>("quiescence");
    this.quiescenceWaiter = waiter;
    return waiter.promise;
  }

  private endChaos(reason: string): void {
    if (this.chaosEnded.signal.aborted) return;
    this.kernel.trace("sim", "chaos_end", { reason });
    this.chaosTimer?.cancel();
    this.chaosTimer = null;
    this.chaosEnded.abort(CHAOS_ENDED);
    for (const scope of this.faultScopes) scope.kill("chaos window ended");
  }

  private startFaults(): void {
    const faults = [...this.plan.faults];
    const attrition = this.plan.chaos?.attrition;
    if (attrition) faults.push({ name: "attrition", inject: (f) => this.attrition(f, attrition) });
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
    const checkIp = (argument: string, ip: string) => {
      if (!this.directory.some((a) => a.ip === ip)) {
        const known = this.directory.map((a) => `${a.name}=${a.ip}`).join(", ");
        throw new InvalidArgumentError(argument, `no actor has IP "${ip}" (known: ${known})`);
      }
    };
    return {
      time: scope.time,
      random: scope.random,
      chaosEnded: this.chaosEnded.signal,
      processes: () => this.processes.map((p) => ({ name: p.name, ip: p.ip })),
      partition: (from, to, ms) => {
        checkIp("partition(fromIp)", from);
        checkIp("partition(toIp)", to);
        devices.partition(from, to, ms);
      },
      partitionBoth: (a, b, ms) => {
        checkIp("partitionBoth(a)", a);
        checkIp("partitionBoth(b)", b);
        devices.partition(a, b, ms);
        devices.partition(b, a, ms);
      },
      heal: (a, b) => devices.heal(a, b),
      reboot: (ip, kind) => this.reboot(ip, kind),
    };
  }

  /** Reboots the process at `ip` (see `FaultContext.reboot`). */
  reboot(ip: string, kind: RebootKind): boolean {
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
    this.kernel.trace("sim", "process_reboot", { name: slot.name, ip, kind });
    if (kind === "graceful") {
      const grace = this.draw(this.grace);
      this.kernel.trace("sim", "process_graceful_shutdown", { ip, graceMs: grace });
      slot.shutdown?.abort(REBOOT);
      this.kernel.schedule(grace, `grace period of ${slot.name}`, () => this.down(slot, kind));
    } else {
      this.down(slot, kind);
    }
    return true;
  }

  private down(slot: ProcessSlot, kind: RebootKind): void {
    slot.scope?.kill(`process ${slot.name} rebooted (${kind})`);
    slot.scope = null;
    slot.alive = false;
    this.devices.crash(slot.ip, kind);
    const delay = this.draw(this.recovery);
    this.kernel.trace("sim", "process_down", { ip: slot.ip, kind, restartInMs: delay });
    this.kernel.schedule(delay, `restart of ${slot.name}`, () => {
      try {
        void this.boot(slot);
      } catch (thrown) {
        this.kernel.fail(
          withContext(toError(thrown, "processes(factory)"), `restarting process "${slot.name}" failed`),
        );
      }
    });
  }

  private draw(range: Range): number {
    return range[0] >= range[1] ? range[0] : this.kernel.random.int(range[0], range[1] + 1);
  }

  /** Built-in attrition: reboots random processes while the chaos window is open. */
  private async attrition(f: FaultContext, option: "random" | "swarm" | AttritionOptions): Promise<void> {
    const r = f.random;
    let config: AttritionOptions = typeof option === "object" ? option : {};
    if (option === "swarm") {
      config = {
        maxDead: r.bool(0.5) ? 0 : 1,
        probGraceful: r.bool(0.5) ? 0 : 1,
        probCrash: r.bool(0.5) ? 0 : 1,
        probWipe: r.bool(0.5) ? 0 : 1,
      };
    }
    const maxDead = config.maxDead ?? 1;
    const weights = [config.probGraceful ?? 1, config.probCrash ?? 1, config.probWipe ?? 0];
    const total = weights[0]! + weights[1]! + weights[2]!;
    const interval = config.intervalMs ?? DEFAULT_INTERVAL;
    while (!f.chaosEnded.aborted) {
      await f.time.sleep(this.draw(interval), f.chaosEnded);
      const dead = this.processes.filter((p) => !p.alive || p.rebooting).length;
      if (dead >= maxDead || this.processes.length === 0) continue;
      let kind: RebootKind = "crash";
      if (total > 0) {
        const roll = r.random() * total;
        kind = roll < weights[0]! ? "graceful" : roll < weights[0]! + weights[1]! ? "crash" : "wipe";
      }
      f.reboot(r.pick(this.processes).ip, kind);
    }
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
