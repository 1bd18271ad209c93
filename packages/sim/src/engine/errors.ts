// The error every failed seed reports: what went wrong (kind), which seed, and what each live
// task was waiting for when it happened.

/** Why a seed failed. */
export type SimulationErrorKind =
  | "deadlock"
  | "busy"
  | "virtual-budget"
  | "wall-budget"
  | "time-overflow"
  | "task-failed"
  | "unhandled-rejection"
  | "leak"
  | "invariant"
  | "assertion"
  | "failure";

/** Kinds the engine itself detects (hangs, leaks): their stack is the engine's, not the user's. */
export const ENGINE_DETECTED_KINDS: ReadonlySet<SimulationErrorKind> = new Set<SimulationErrorKind>([
  "deadlock",
  "busy",
  "virtual-budget",
  "wall-budget",
  "time-overflow",
  "leak",
]);

/** One live task in a hang dump. */
export interface LiveTaskInfo {
  readonly actor: string;
  readonly task: string;
  readonly awaiting: string;
}

/**
 * A failed seed. The message starts with `seed N:`; `dump` lists every live task and what it
 * awaits (empty when irrelevant); `cause` holds the original error when there is one.
 *
 * @example
 * ```ts
 * if (!outcome.ok && outcome.error instanceof SimulationError && outcome.error.kind === "deadlock") {
 *   console.error(outcome.error.dump);
 * }
 * ```
 */
export class SimulationError extends Error {
  override readonly name = "SimulationError";
  readonly kind: SimulationErrorKind;
  readonly seed: number;
  readonly dump: readonly LiveTaskInfo[];

  constructor(
    kind: SimulationErrorKind,
    seed: number,
    message: string,
    options: { dump?: readonly LiveTaskInfo[]; cause?: unknown } = {},
  ) {
    const dump = options.dump ?? [];
    super(
      `seed ${seed}: ${message}${formatDump(dump)}`,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.kind = kind;
    this.seed = seed;
    this.dump = dump;
    const causeStack = (options.cause as { stack?: unknown } | undefined)?.stack;
    if (typeof causeStack === "string")
      this.stack = `${this.name}: ${this.message}\ncaused by: ${causeStack}`;
  }
}

function formatDump(dump: readonly LiveTaskInfo[]): string {
  if (dump.length === 0) return "";
  const lines = dump.map((t) => `\n  ${t.actor}/${t.task}: awaiting ${t.awaiting}`);
  return `\nlive tasks (${dump.length}):${lines.join("")}`;
}

/** A readable one-line description of any thrown value (strings, errors, objects). */
export function describeThrown(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === "string") return `thrown string ${JSON.stringify(value)}`;
  try {
    return `thrown value ${String(value)}`;
  } catch {
    return "thrown value (unprintable)";
  }
}
