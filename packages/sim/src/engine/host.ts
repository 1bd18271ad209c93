// The host seam: how the engine drains on a particular JavaScript host. The engine itself is
// standard JavaScript; the Node adapter (`../host/node-host.ts`) supplies the pieces that need
// `process.nextTick`, builtin-module patching and `getActiveResourcesInfo`.

/** What the host may ask of the running world (hermetic globals, console routing, errors). */
export interface HostedWorld {
  readonly seed: number;
  readonly hermetic: boolean | "strict";
  /** The seed's time zone and default locale (hermetic mode). */
  readonly timeZone: string;
  readonly locale: string;
  /** Virtual time in ns. */
  nowNs(): number;
  /** A counted draw in [0, 1) (Math.random). */
  randomFloat(): number;
  /** Fills `out` from the counted stream (crypto). */
  randomFill(out: Uint8Array): Uint8Array;
  /** Schedules a hermetic timer callback (owned by the current task); unref'd ones keep nothing alive. */
  scheduleTimer(delayNs: number, label: string, fn: () => void, refed?: boolean): TimerEvent;
  /** `timer.ref()` / `timer.unref()` of a scheduled timer event. */
  setTimerRef(event: TimerEvent, refed: boolean): void;
  /** Name of the actor the scheduler last resumed ("sim" outside any task). */
  currentActorName(): string;
  /** The `node:net` module of the actor the scheduler last resumed, or null outside one. */
  currentNodeNet(): object | null;
  /** An uncaught exception or unhandled rejection happened while the seed ran. */
  reportUncaught(kind: "uncaught" | "rejection", error: unknown): void;
  /** A console call from simulated code: returns the prefixed line to print (and traces it when asked). */
  consoleLine(level: string, text: string): string;
}

/** A scheduled hermetic timer's event. */
export interface TimerEvent {
  cancel(): void;
}

/** A host's drain primitives. One seed drains at a time. */
export interface DrainHost {
  /** Calls `step` once the microtask queue is empty (re-arm on every step). */
  arm(step: () => void): void;
  /** True when host code (streams, user code) queued its own deferred callbacks since the last call. */
  takeForeignWork(): boolean;
  /** Starts a seed: takes over process-level error listeners. */
  beginSeed(world: HostedWorld): void;
  /** Installs the drain-time patches (hermetic globals, console routing, tick observation). */
  enter(): void;
  /** Removes the drain-time patches. */
  leave(): void;
  /** Lets the real event loop run (patches removed), then re-enters and calls `fn`. */
  yieldToRealLoop(fn: () => void): void;
  /** Ends a seed: after one real turn (late rejections), restores error listeners and calls `done`. */
  endSeed(done: () => void): void;
  /** Real wall-clock milliseconds (unaffected by hermetic patches). */
  wallNowMs(): number;
  /** An opaque snapshot of the host's live real resources. */
  snapshotResources(): unknown;
  /** Real resources in `after` that were not in `before`, described for a leak report. */
  leakedResources(before: unknown, after: unknown): string[];
}
