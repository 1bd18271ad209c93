// One seed's simulated world: virtual clock, event queue, ready wakers, tasks, actors, random
// streams and the drain loop. Standard JavaScript only: the host supplies the drain primitives.
// (Longer than most modules on purpose: the drain loop and the seed state share every private
// field, and the hot path stays monomorphic in one class.)
import { TaskCancelledError } from "@moonpool/core";
import { SimActor } from "./actor.ts";
import { EngineHash, HashKind } from "./engine-hash.ts";
import { describeThrown, type LiveTaskInfo, SimulationError, type SimulationErrorKind } from "./errors.ts";
import { EventQueue, type QueuedEvent } from "./event-queue.ts";
import type { DrainHost, HostedWorld, TimerEvent } from "./host.ts";
import type {
  ActorFactory,
  ActorScope,
  SeedOutcome,
  SeedRunOptions,
  SimKernel,
  TimerHandle,
  TraceFields,
  Waker,
} from "./kernel.ts";
import { DEFAULT_LOCALE, DEFAULT_TIME_ZONE } from "./kernel.ts";
import { PctPolicy } from "./pct.ts";
import { StreamSalt } from "./prng.ts";
import { CountedRandom, StreamRandom } from "./random-streams.ts";
import { SimTask } from "./task.ts";
import { msToNs, NS_PER_MS } from "./time-units.ts";
import { type ReadySink, SimWaker } from "./waker.ts";

const MAX_TIME_NS = Number.MAX_SAFE_INTEGER;
/** Steps between two yields to the real event loop (watchdogs, test-runner timers, wall budget). */
const STEPS_PER_REAL_YIELD = 4096;
/** Consecutive quiescent verdicts that `onQuiescent` may answer `true` without any progress. */
const MAX_FRUITLESS_QUIESCENCE = 3;

/** What a fast path returns once the seed failed as busy: the looping task parks for good. */
const PARKED: Promise<never> = new Promise<never>(() => {});

/** Seed-world lifecycle. */
type Phase = "created" | "draining" | "yielded" | "ended";

/** Everything one seed owns; created by `runSeed`, dropped when the seed ends. */
export class SimWorld implements SimKernel, ActorFactory, ReadySink, HostedWorld {
  readonly seed: number;
  readonly hermetic: boolean | "strict";
  readonly timeZone: string;
  readonly locale: string;
  readonly random: CountedRandom;
  readonly scheduleRandom: StreamRandom;
  readonly selectRandom: StreamRandom;
  /** Uncounted stream for swarm configuration. */
  readonly swarmRandom: StreamRandom;
  readonly hash = new EngineHash();
  /** The task the scheduler last resumed (attribution for console lines and new wakers). */
  current: SimTask | null = null;
  events = 0;
  private timeNs = 0;
  private readonly queue = new EventQueue();
  private ready: SimWaker<unknown>[] = [];
  /** yieldNow wakes: they join `ready` once it is empty, so a yield lets every ready task run first. */
  private yielded: SimWaker<unknown>[] = [];
  private readonly actors: SimActor[] = [];
  private nextActorId = 1;
  private nextTaskId = 1;
  private wakesThisInstant = 0;
  private eventsThisInstant = 0;
  /** Events with a smaller seq were scheduled before the current instant began. */
  private instantSeq = 0;
  /** PCT policy when `scheduling.pct` is set (null: uniform draws). */
  private readonly pct: PctPolicy | null;
  /** `scheduling.fastPathYield` (0: fast paths never yield). */
  private readonly fastPathYield: number;
  private foreignRearms = 0;
  /** Unref'd hermetic timers queued (`timer.unref()`). */
  private readonly unrefTimers = { n: 0 };
  private stepsSinceYield = 0;
  private quiescentConfirmed = false;
  private fruitlessQuiescence = 0;
  private failure: SimulationError | null = null;
  private mainDone = false;
  private phase: Phase = "created";
  private cleanups: (() => void)[] = [];
  private readonly wallStart: number;
  private resourcesBefore: unknown;
  private readonly options: SeedRunOptions;
  private readonly host: DrainHost;
  private readonly root: SimActor;
  private settleOutcome: ((o: SeedOutcome) => void) | null;
  private readonly boundStep = (): void => this.step();

  constructor(options: SeedRunOptions, host: DrainHost, settle: (o: SeedOutcome) => void) {
    this.options = options;
    this.host = host;
    this.settleOutcome = settle;
    this.seed = options.seed;
    this.hermetic = options.hermetic;
    this.timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
    this.locale = options.locale ?? DEFAULT_LOCALE;
    this.random = new CountedRandom(options.seed, StreamSalt.main, options.reseeds ?? []);
    this.scheduleRandom = new StreamRandom(options.seed, StreamSalt.schedule);
    this.selectRandom = new StreamRandom(options.seed, StreamSalt.select);
    this.swarmRandom = new StreamRandom(options.seed, StreamSalt.swarm);
    const pct = options.scheduling?.pct;
    this.pct = pct === undefined ? null : new PctPolicy(this.scheduleRandom, pct.depth, pct.steps);
    this.fastPathYield = options.scheduling?.fastPathYield ?? 0;
    this.wallStart = host.wallNowMs();
    this.root = new SimActor(this, 0, "main", "", 0);
  }

  // ---- SimKernel -----------------------------------------------------------------------------

  nowNs(): number {
    return this.timeNs;
  }

  nowMs(): number {
    return this.timeNs / NS_PER_MS;
  }

  schedule(delayMs: number, label: string, fn: () => void): TimerHandle {
    if (typeof delayMs !== "number" || !(delayMs >= 0) || !Number.isFinite(delayMs)) {
      throw new RangeError(
        `invalid schedule(delayMs): expected a finite, non-negative number, got ${delayMs}`,
      );
    }
    this.checkLive("kernel.schedule");
    return this.scheduleAt(msToNs(delayMs), label, fn, null);
  }

  waker<T>(label: string): Waker<T> {
    this.checkLive("kernel.waker");
    return new SimWaker<T>(this, this.current, label);
  }

  fastPath<T>(label: string, value: T): Promise<T> {
    if (this.phase !== "draining") return Promise.resolve(value);
    if (++this.wakesThisInstant > this.options.budgets.wakesPerInstant) {
      // A loop on a fast path never lets the microtask queue drain: park it so the drain resumes.
      this.failBusy(`fast path "${label}"`, this.current);
      return PARKED;
    }
    if (this.fastPathYield > 0 && this.scheduleRandom.random() < this.fastPathYield) {
      const w = new SimWaker<T>(this, this.current, label);
      w.wake(value);
      return w.promise;
    }
    return Promise.resolve(value);
  }

  trace(source: string, name: string, fields?: TraceFields): void {
    const event =
      fields === undefined
        ? { timeMs: this.nowMs(), source, name }
        : { timeMs: this.nowMs(), source, name, fields };
    this.options.onTrace(event);
  }

  onSeedEnd(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  fail(error: unknown): void {
    if (error instanceof SimulationError) this.recordFailure(error);
    else
      this.recordFailure(new SimulationError("failure", this.seed, describeThrown(error), { cause: error }));
  }

  // ---- ActorFactory --------------------------------------------------------------------------

  createActor(name: string, ip: string, options?: { driftMs?: number }): ActorScope {
    if (typeof name !== "string" || name.length === 0) {
      throw new TypeError(`invalid createActor(name): expected a non-empty string, got ${String(name)}`);
    }
    const driftMs = options?.driftMs ?? 0;
    if (typeof driftMs !== "number" || !(driftMs >= 0) || !Number.isFinite(driftMs)) {
      throw new RangeError(
        `invalid createActor(options.driftMs): expected a finite, non-negative number, got ${driftMs}`,
      );
    }
    const actor = new SimActor(this, this.nextActorId++, name, ip, driftMs);
    this.actors.push(actor);
    return actor;
  }

  // ---- HostedWorld ---------------------------------------------------------------------------

  randomFloat(): number {
    return this.random.random();
  }

  randomFill(out: Uint8Array): Uint8Array {
    return this.random.fill(out);
  }

  scheduleTimer(delayNs: number, label: string, fn: () => void, refed = true): TimerEvent {
    this.checkLive(label);
    // A timer outlives the task that armed it but not its actor (a reboot kills its timers).
    const task = this.current;
    const ev = this.scheduleAt(delayNs, label, fn, task, task === null ? null : (task.actor as SimActor));
    if (!refed) ev.unref(this.unrefTimers);
    return ev;
  }

  setTimerRef(event: TimerEvent, refed: boolean): void {
    const ev = event as QueuedEvent;
    if (refed) ev.ref();
    else ev.unref(this.unrefTimers);
  }

  currentActorName(): string {
    return this.current === null ? "sim" : this.current.actor.name;
  }

  currentNodeNet(): object | null {
    const factory = this.current === null ? null : (this.current.actor as SimActor).nodeNet;
    return factory === null ? null : factory();
  }

  reportUncaught(kind: "uncaught" | "rejection", error: unknown): void {
    // Node reports unhandled rejections only once its tick queue drains (at the engine's next
    // real yield), so the task resumed last is not the culprit; the error's stack says where.
    const who =
      kind === "rejection"
        ? `(noticed at ${this.nowMs()} ms)`
        : this.current === null
          ? "outside any task"
          : `in task "${this.current.actor.name}/${this.current.name}"`;
    const what = kind === "uncaught" ? "uncaught exception" : "unhandled rejection";
    this.recordFailure(
      new SimulationError(
        kind === "uncaught" ? "task-failed" : "unhandled-rejection",
        this.seed,
        `${what} ${who}: ${describeThrown(error)}`,
        {
          cause: error,
          dump: this.liveTaskDump(),
        },
      ),
    );
  }

  consoleLine(level: string, text: string): string {
    const line = `[${this.currentActorName()} @ ${(this.timeNs / 1e9).toFixed(3)}s] ${text}`;
    if (this.options.consoleToTrace === true) {
      this.options.onTrace({
        timeMs: this.nowMs(),
        source: this.currentActorName(),
        name: "console",
        fields: { level, message: text },
      });
    }
    return line;
  }

  // ---- engine internals used by actors and providers -------------------------------------------

  enqueueReady(w: SimWaker<unknown>): void {
    if (this.phase !== "draining" && !this.wokenOutsideDrain(w)) return;
    this.ready.push(w);
  }

  enqueueYielded(w: SimWaker<unknown>): void {
    if (this.phase !== "draining" && !this.wokenOutsideDrain(w)) return;
    this.yielded.push(w);
  }

  /** A wake from outside the drain: dropped after the seed, a leak while it yields. */
  private wokenOutsideDrain(w: SimWaker<unknown>): boolean {
    if (this.phase === "ended") return false;
    if (this.phase === "yielded") {
      this.recordFailure(
        new SimulationError(
          "leak",
          this.seed,
          `waker "${w.describe()}" woken outside the simulation's drain (from a real callback?)`,
        ),
      );
    }
    return true;
  }

  /** A waker owned by `task` (null: not tied to a task). */
  wakerFor<T>(task: SimTask | null, label: string, detail?: number): SimWaker<T> {
    return new SimWaker<T>(this, task, label, detail);
  }

  /** Wakes `waker` `delayNs` from now (a sleep): no closure per event. */
  scheduleWake(delayNs: number, waker: SimWaker<void>, owner: SimTask | null): QueuedEvent {
    const ev = this.scheduleAt(delayNs, "sleep", wakeEventWaker, owner);
    ev.waker = waker;
    return ev;
  }

  /** Schedules `fn` `delayNs` from now; events owned by a killed task are skipped. */
  scheduleAt(
    delayNs: number,
    label: string,
    fn: () => void,
    owner: SimTask | null,
    guard: { readonly dead: boolean } | null = owner,
  ): QueuedEvent {
    const at = this.timeNs + delayNs;
    if (!(at <= MAX_TIME_NS)) {
      const error = new SimulationError(
        "time-overflow",
        this.seed,
        `virtual time would pass 2^53 ns (about 104 days) scheduling "${label}" ${delayNs / NS_PER_MS} ms after ${this.nowMs()} ms`,
      );
      this.recordFailure(error);
      throw error;
    }
    const ev = this.queue.push(at, label, fn);
    ev.owner = owner;
    ev.guard = guard;
    return ev;
  }

  /** Throws (and records a leak) when a simulation API is used outside this seed's drain. */
  checkLive(api: string): void {
    if (this.phase === "draining" || this.phase === "created") return;
    if (this.phase === "ended") {
      throw new Error(
        `seed ${this.seed}: simulation API ${api} called after the seed ended (a leaked callback?)`,
      );
    }
    const error = new SimulationError(
      "leak",
      this.seed,
      `simulation API ${api} called outside the simulation's drain (from a real callback?)`,
    );
    this.recordFailure(error);
    throw error;
  }

  /** Spawns a task in `actor`; it starts when the scheduler picks its start wake. */
  spawnTask<T>(actor: SimActor, name: string, fn: (signal: AbortSignal) => Promise<T>): SimTask {
    const task = new SimTask(this.nextTaskId++, name, actor);
    actor.live.add(task);
    this.hash.record(HashKind.spawn, this.timeNs, actor.id, task.id, this.random.draws);
    const start = new SimWaker<void>(this, task, "start");
    start.wake();
    start.promise.then(() => this.runTask(task, fn));
    return task;
  }

  private runTask<T>(task: SimTask, fn: (signal: AbortSignal) => Promise<T>): void {
    if (task.dead) return;
    if (task.aborted) {
      this.settleTask(task, false, task.signal.reason);
      return;
    }
    task.state = "running";
    let result: Promise<T>;
    try {
      // A function that declares no parameter never sees its signal: do not build one for it.
      result = Promise.resolve(fn.length === 0 ? (fn as () => Promise<T>)() : fn(task.signal));
    } catch (error) {
      this.settleTask(task, false, error);
      return;
    }
    result.then(
      (value) => this.settleTask(task, true, value),
      (error) => this.settleTask(task, false, error),
    );
  }

  /** Records a task's end and wakes its joiners. */
  private settleTask(task: SimTask, ok: boolean, value: unknown): void {
    if (task.dead || task.finished) return;
    const actor = task.actor as SimActor;
    actor.live.delete(task);
    this.hash.record(HashKind.taskEnd, this.timeNs, actor.id, task.id, this.random.draws);
    const joiners = task.joiners;
    task.joiners = [];
    if (ok) {
      task.state = "done";
      task.ok = true;
      task.value = value;
      for (const j of joiners) j.wake(value);
    } else if (task.aborted) {
      task.state = "cancelled";
      task.value = new TaskCancelledError(task.name, reasonText(task.signal.reason));
      for (const j of joiners) j.fail(task.value);
    } else {
      task.state = "failed";
      task.value = value;
      if (joiners.length > 0) {
        for (const j of joiners) j.fail(value);
      } else if (task === this.mainTask) {
        this.mainDone = true;
        this.recordFailure(
          value instanceof SimulationError
            ? value
            : new SimulationError("task-failed", this.seed, `main failed: ${describeThrown(value)}`, {
                cause: value,
              }),
        );
      } else {
        this.recordFailure(
          new SimulationError(
            "task-failed",
            this.seed,
            `task "${actor.name}/${task.name}" failed: ${describeThrown(value)}`,
            {
              cause: value,
            },
          ),
        );
      }
    }
    if (task === this.mainTask) this.mainDone = true;
  }

  /** Kills every live task of `actor`: never resumed again; their joiners get TaskCancelledError. */
  killActor(actor: SimActor, reason: string): void {
    for (const task of actor.live) {
      task.dead = true;
      task.state = "killed";
      this.hash.record(HashKind.kill, this.timeNs, actor.id, task.id, this.random.draws);
      const error = new TaskCancelledError(task.name, reason);
      task.value = error;
      for (const j of task.joiners) j.fail(error);
      task.joiners = [];
    }
    actor.live.clear();
  }

  liveTasks(): LiveTaskInfo[] {
    return this.liveTaskDump();
  }

  /** Every live task of every actor with what it awaits. */
  liveTaskDump(): LiveTaskInfo[] {
    const out: LiveTaskInfo[] = [];
    for (const actor of [this.root, ...this.actors]) {
      for (const t of actor.live)
        out.push({ actor: actor.name, task: t.name, awaiting: t.describeAwaiting() });
    }
    return out;
  }

  private recordFailure(error: SimulationError): void {
    if (this.failure === null) this.failure = error;
  }

  private failWith(kind: SimulationErrorKind, message: string): void {
    this.recordFailure(new SimulationError(kind, this.seed, message, { dump: this.liveTaskDump() }));
  }

  // ---- the drain ---------------------------------------------------------------------------

  private mainTask: SimTask | null = null;

  /** Starts the seed: `main` becomes the root task; the drain runs until it settles or the seed fails. */
  start(main: (kernel: SimKernel, actors: ActorFactory) => Promise<void>): void {
    this.resourcesBefore = this.host.snapshotResources();
    this.host.beginSeed(this);
    this.mainTask = this.spawnTask(this.root, "main", () => main(this, this));
    this.phase = "draining";
    this.host.enter();
    // Arm from the caller's context: the first step runs once its microtasks are done.
    this.host.arm(this.boundStep);
  }

  private step(): void {
    if (this.phase !== "draining") return;
    if (this.host.takeForeignWork()) {
      // Someone else queued a tick after ours: let it (and the microtasks it queues) run first.
      if (++this.foreignRearms > this.options.budgets.wakesPerInstant) {
        this.failWith(
          "busy",
          `process.nextTick queued forever (${this.foreignRearms} re-arms at ${this.nowMs()} ms)`,
        );
        this.finish();
        return;
      }
      this.countStep();
      return;
    }
    this.foreignRearms = 0;
    if (this.failure !== null || this.mainDone) {
      this.finish();
      return;
    }
    if (++this.stepsSinceYield >= STEPS_PER_REAL_YIELD) {
      this.stepsSinceYield = 0;
      this.realYield();
      return;
    }
    if (this.ready.length === 0 && this.yielded.length > 0) {
      const round = this.ready;
      this.ready = this.yielded;
      this.yielded = round;
    }
    if (this.ready.length > 0) {
      if (!this.sameInstantEventFirst()) this.resumeOne();
      this.host.arm(this.boundStep);
      return;
    }
    // Only unref'd timers left: they do not keep the seed alive (Node's semantics), so whoever
    // waits for the seed to settle is told; otherwise they fire as usual (a task may be waiting
    // on a simulated socket, which keeps a real process alive).
    if (
      this.unrefTimers.n > 0 &&
      this.unrefTimers.n === this.queue.size &&
      this.options.onIdle !== undefined &&
      this.options.onIdle()
    ) {
      this.host.arm(this.boundStep);
      return;
    }
    const ev = this.queue.pop();
    if (ev !== undefined) {
      this.quiescentConfirmed = false;
      this.fruitlessQuiescence = 0;
      this.processEvent(ev);
      if (this.failure === null && this.ready.length > 0 && !this.sameInstantEventFirst()) this.resumeOne();
      this.host.arm(this.boundStep);
      return;
    }
    this.onQuiescence();
  }

  private countStep(): void {
    if (++this.stepsSinceYield >= STEPS_PER_REAL_YIELD) {
      this.stepsSinceYield = 0;
      this.realYield();
    } else {
      this.host.arm(this.boundStep);
    }
  }

  /**
   * When another event scheduled before this instant began is due now, draws whether it is
   * processed before the next ready wake: the wakes of one instant then resume in an order the
   * seed chooses, not in the order their events were scheduled. Events scheduled during the
   * instant (sleep(0), a timeout's tie-break) still come after every ready wake. Draws only
   * when both are possible.
   */
  private sameInstantEventFirst(): boolean {
    const next = this.queue.peek();
    if (next === undefined || next.timeNs !== this.timeNs || next.seq >= this.instantSeq) return false;
    const n = this.ready.length;
    if (this.scheduleRandom.index(n + 1) !== n) return false;
    this.queue.pop();
    this.quiescentConfirmed = false;
    this.fruitlessQuiescence = 0;
    this.processEvent(next);
    return true;
  }

  private failBusy(what: string, task: SimTask | null): void {
    this.failWith(
      "busy",
      `busy task: more than ${this.options.budgets.wakesPerInstant} wakes and fast-path completions at ${this.nowMs()} ms without virtual time advancing` +
        (task === null ? ` (last: ${what})` : ` (last: "${task.actor.name}/${task.name}", ${what})`),
    );
  }

  /** Resolves one ready waker drawn with the scheduling stream. */
  private resumeOne(): void {
    const ready = this.ready;
    const pct = this.pct;
    while (ready.length > 0) {
      const n = ready.length;
      const i = pct !== null ? pct.pick(ready) : n === 1 ? 0 : this.scheduleRandom.index(n);
      const w = ready[i] as SimWaker<unknown>;
      ready[i] = ready[n - 1] as SimWaker<unknown>;
      ready.pop();
      const task = w.task;
      if (task?.dead) continue; // killed: never resumed again
      if (++this.wakesThisInstant > this.options.budgets.wakesPerInstant) {
        this.failBusy(`wake "${w.describe()}"`, task);
        return;
      }
      this.current = task;
      this.hash.record(
        HashKind.wake,
        this.timeNs,
        task === null ? 0 : task.actor.id,
        task === null ? 0 : task.id,
        this.random.draws,
      );
      this.quiescentConfirmed = false;
      this.fruitlessQuiescence = 0;
      pct?.resumed(task);
      w.settle();
      return;
    }
  }

  private processEvent(ev: QueuedEvent): void {
    const owner = ev.owner as SimTask | null;
    if ((ev.guard as { readonly dead: boolean } | null)?.dead) return; // killed: leaves no trace
    if (ev.timeNs > this.timeNs) {
      this.timeNs = ev.timeNs;
      this.wakesThisInstant = 0;
      this.eventsThisInstant = 0;
      this.instantSeq = this.queue.nextSeq;
      if (this.timeNs > this.options.budgets.virtualMs * NS_PER_MS) {
        this.failWith(
          "virtual-budget",
          `virtual-time budget of ${this.options.budgets.virtualMs} ms exceeded (self-re-arming timers?); next event "${ev.label}"`,
        );
        return;
      }
    }
    if (++this.eventsThisInstant > this.options.budgets.wakesPerInstant) {
      // setImmediate re-arming itself (or any device loop at one instant): a deterministic verdict.
      this.failWith(
        "busy",
        `busy: more than ${this.options.budgets.wakesPerInstant} events at ${this.nowMs()} ms without virtual time advancing (last: "${ev.label}"${owner === null ? "" : ` scheduled by "${owner.actor.name}/${owner.name}"`}; a self-re-arming setImmediate?)`,
      );
      return;
    }
    this.events++;
    // Sleep wakes are hashed when resumed (with time, task and draws); other events here.
    if (ev.waker === null) this.hash.record(HashKind.event, this.timeNs, 0, ev.seq, this.random.draws);
    const fn = ev.fn;
    ev.fn = null;
    this.current = owner;
    const waker = ev.waker;
    if (waker !== null) {
      ev.waker = null;
      waker.wake(undefined);
    } else if (!this.runEventFn(ev, fn, owner)) {
      return;
    }
    const after = this.options.afterEvent;
    if (after !== undefined) {
      try {
        after();
      } catch (error) {
        this.recordFailure(
          error instanceof SimulationError
            ? error
            : new SimulationError("invariant", this.seed, `afterEvent threw: ${describeThrown(error)}`, {
                cause: error,
              }),
        );
      }
    }
  }

  /** Runs a generic event's function; false when it threw (the seed has failed). */
  private runEventFn(ev: QueuedEvent, fn: (() => void) | null, owner: SimTask | null): boolean {
    try {
      fn?.();
      return true;
    } catch (error) {
      const by = owner === null ? "" : ` (scheduled by task "${owner.actor.name}/${owner.name}")`;
      this.recordFailure(
        new SimulationError(
          "task-failed",
          this.seed,
          `event "${ev.label}"${by} threw: ${describeThrown(error)}`,
          { cause: error },
        ),
      );
      return false;
    }
  }

  private onQuiescence(): void {
    if (!this.quiescentConfirmed) {
      // Confirm with one real turn: host work (streams, I/O callbacks) may still be pending.
      this.quiescentConfirmed = true;
      this.realYield();
      return;
    }
    this.quiescentConfirmed = false;
    let progressed = false;
    try {
      progressed = this.options.onQuiescent();
    } catch (error) {
      this.recordFailure(
        new SimulationError("failure", this.seed, `onQuiescent threw: ${describeThrown(error)}`, {
          cause: error,
        }),
      );
    }
    if (this.failure === null && (!progressed || ++this.fruitlessQuiescence > MAX_FRUITLESS_QUIESCENCE)) {
      // Stuck while real work (a real timer, socket or file request) is pending: whether that
      // work ends before this point or during a later yield is the machine's speed, so the
      // verdict is the same either way: a leak, as when it resumes the seed from outside.
      const pending = this.host.leakedResources(this.resourcesBefore, this.host.snapshotResources());
      if (pending.length > 0) {
        this.failWith(
          "leak",
          `stuck at ${this.nowMs()} ms waiting on real work that is not simulated: ${pending.join(", ")} (use the simulated providers)`,
        );
      } else {
        this.failWith(
          "deadlock",
          `deadlock at ${this.nowMs()} ms: nothing is ready, no event is queued and main has not finished`,
        );
      }
    }
    this.host.arm(this.boundStep);
  }

  private realYield(): void {
    this.phase = "yielded";
    this.host.yieldToRealLoop(() => {
      this.phase = "draining";
      const wall = this.host.wallNowMs() - this.wallStart;
      if (wall > this.options.budgets.wallMs) {
        this.failWith(
          "wall-budget",
          `wall-clock budget of ${this.options.budgets.wallMs} ms exceeded after ${Math.round(wall)} ms`,
        );
      }
      this.host.arm(this.boundStep);
    });
  }

  /** Ends the seed: kills every task, drops every event, restores the host and reports. */
  private finish(): void {
    this.phase = "ended";
    for (const actor of [this.root, ...this.actors]) {
      this.killActor(actor, "the seed ended");
      actor.killed = true;
    }
    this.ready = [];
    this.yielded = [];
    this.queue.clear();
    this.current = null;
    for (const cleanup of this.cleanups) {
      try {
        cleanup();
      } catch (error) {
        this.recordFailure(
          new SimulationError("failure", this.seed, `onSeedEnd cleanup threw: ${describeThrown(error)}`, {
            cause: error,
          }),
        );
      }
    }
    this.cleanups = [];
    this.host.leave();
    const resourcesAfter = this.host.snapshotResources();
    this.hash.record(HashKind.seedEnd, this.timeNs, 0, 0, this.random.draws);
    this.host.endSeed(() => {
      const leaked = this.host.leakedResources(this.resourcesBefore, resourcesAfter);
      if (leaked.length > 0) {
        this.recordFailure(
          new SimulationError(
            "leak",
            this.seed,
            `real resources leaked out of the simulation: ${leaked.join(", ")} (use the simulated providers)`,
          ),
        );
      }
      const settle = this.settleOutcome;
      this.settleOutcome = null;
      const outcome: SeedOutcome = {
        ok: this.failure === null,
        events: this.events,
        simulatedMs: this.nowMs(),
        wallMs: this.host.wallNowMs() - this.wallStart,
        draws: this.random.draws,
        engineHash: this.hash.hex(),
        ...(this.failure === null ? {} : { error: this.failure }),
      };
      settle?.(outcome);
    });
  }
}

/** The function of a `scheduleWake` event (the waker rides on the event). */
function wakeEventWaker(): void {}

function reasonText(reason: unknown): string | undefined {
  if (reason === undefined) return undefined;
  if (reason instanceof Error) return reason.message;
  return String(reason);
}
