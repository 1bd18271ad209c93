// Records what clients saw, as a history the linearizability checker reads: each operation's
// invocation and completion in the order they happened (one event loop, so the order is real
// time), with the Jepsen outcomes ok / fail (did not happen) / info (unknown).

import { KvUnavailableError } from "./client.ts";
import type { HistoryEvent, KvInput, KvOutput } from "./linearizability/index.ts";

export type KvEvent = HistoryEvent<KvInput, KvOutput>;

/** Something that runs one store operation (a `KvClient`). */
export interface KvOperations {
  put(key: string, value: string): Promise<void>;
  get(key: string): Promise<string | null>;
}

/** The invocations and completions of every client, in order. */
export class HistoryRecorder {
  readonly events: KvEvent[] = [];
  #nextId = 0;

  /** Runs `input` on `client`, recording it; resolves with its output, or `undefined` on failure. */
  async run(clientName: string, client: KvOperations, input: KvInput): Promise<KvOutput | undefined> {
    const id = this.#nextId++;
    this.events.push({ kind: "call", id, client: clientName, input });
    try {
      let output: KvOutput;
      if (input.op === "put") {
        await client.put(input.key, input.value);
        output = { ok: true };
      } else if (input.op === "get") {
        output = { value: await client.get(input.key) };
      } else {
        throw new RangeError(`input.op: the store does not support "${input.op}"`);
      }
      this.events.push({ kind: "return", id, output });
      return output;
    } catch (error) {
      if (!(error instanceof KvUnavailableError)) throw error;
      // A read that did not complete changed nothing visible; a write's outcome is unknown.
      this.events.push({ kind: input.op === "get" ? "fail" : "info", id });
      return undefined;
    }
  }
}
