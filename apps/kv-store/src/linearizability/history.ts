/**
 * A history of operations as a client saw them: when each was invoked, when (and with what) it
 * returned. The checker decides whether some total order of these operations, consistent with
 * real time, is legal for a sequential model.
 */
export interface Operation<Input, Output> {
  /** Who issued it (a client or process id); informational, used in explanations. */
  readonly client: number | string;
  readonly input: Input;
  /** Time of the invocation (any monotonic unit: virtual ms, event index). */
  readonly call: number;
  /**
   * Time the result was observed. Absent for an operation whose outcome is unknown (the client
   * timed out, crashed or lost the connection): it may have taken effect at any point after its
   * call, or never. Its `output` is then ignored and the model's `step` receives `undefined`.
   */
  readonly return?: number;
  readonly output?: Output;
}

/** An invocation or a completion, in the order a recorder saw them (Porcupine's `Event`). */
export type HistoryEvent<Input, Output> =
  | {
      readonly kind: "call";
      readonly id: number | string;
      readonly client: number | string;
      readonly input: Input;
    }
  | { readonly kind: "return"; readonly id: number | string; readonly output: Output }
  /** The operation is known not to have happened (Jepsen's `:fail`): it is dropped. */
  | { readonly kind: "fail"; readonly id: number | string }
  /** The outcome is unknown (Jepsen's `:info`, a timeout): the operation stays pending. */
  | { readonly kind: "info"; readonly id: number | string };

/**
 * Turns an ordered event log into operations, using each event's position as its time. Calls
 * with no completion, or completed by `info`, become pending operations; `fail` drops the call.
 * Throws on a completion without a call or an id called twice while still open.
 */
export function operationsFromEvents<Input, Output>(
  events: readonly HistoryEvent<Input, Output>[],
): Operation<Input, Output>[] {
  const open = new Map<number | string, { client: number | string; input: Input; call: number }>();
  const done: { op: Operation<Input, Output>; order: number }[] = [];
  events.forEach((event, time) => {
    if (event.kind === "call") {
      if (open.has(event.id))
        throw new Error(`history event ${time}: operation ${String(event.id)} called twice`);
      open.set(event.id, { client: event.client, input: event.input, call: time });
      return;
    }
    const started = open.get(event.id);
    if (!started)
      throw new Error(
        `history event ${time}: ${event.kind} for operation ${String(event.id)} that was never called`,
      );
    open.delete(event.id);
    if (event.kind === "return")
      done.push({ op: { ...started, return: time, output: event.output }, order: started.call });
    else if (event.kind === "info") done.push({ op: started, order: started.call });
  });
  for (const started of open.values()) done.push({ op: started, order: started.call });
  return done.sort((a, b) => a.order - b.order).map((d) => d.op);
}
