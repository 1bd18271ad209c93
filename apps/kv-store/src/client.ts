// The client library: a linearizable register per key over a majority of replicas (ABD).
// A write asks a majority for the newest timestamp, then stores its value with a higher one at a
// majority. A read asks a majority for the newest version, then writes that version back to a
// majority before returning it, so no later read can return anything older. Any two majorities
// share a replica, which is what carries a completed operation's effect to every later one.

import { NetworkAddress, type Providers } from "@moonpool/core";
import { NetTransport } from "@moonpool/transport";
import type { KvBug } from "./bugs.ts";
import { KvReplica } from "./protocol.service.ts";
import { compareTimestamps, KV_REPLICA_ID, type Versioned, ZERO } from "./protocol.ts";

/** An operation that could not reach a majority in time: a write's outcome is unknown. */
export class KvUnavailableError extends Error {
  override readonly name = "KvUnavailableError";
}

/** How a client is created. */
export interface KvClientOptions {
  /** Unique among all clients: it breaks timestamp ties. */
  readonly name: string;
  /** Address the client's transport listens on (replies come back to it). */
  readonly listen: string;
  /** Every replica's address. */
  readonly replicas: readonly string[];
  /** Per-phase timeout in ms (default 1000). */
  readonly timeoutMs?: number;
  /** A bug to run with, on purpose; the client acts on `stale-read`. */
  readonly bug?: KvBug | undefined;
}

type Stub = ReturnType<typeof KvReplica.clientWellKnown>;

/** A client of the replicated store. Operations may run concurrently. */
export class KvClient {
  readonly #name: string;
  readonly #transport: NetTransport;
  readonly #stubs: readonly Stub[];
  readonly #timeoutMs: number;
  readonly #staleRead: boolean;
  readonly #random: Providers["random"];

  private constructor(p: Providers, transport: NetTransport, options: KvClientOptions) {
    this.#name = options.name;
    this.#transport = transport;
    this.#stubs = options.replicas.map((address) =>
      KvReplica.clientWellKnown(transport, NetworkAddress.parse(address), KV_REPLICA_ID),
    );
    this.#timeoutMs = options.timeoutMs ?? 1_000;
    this.#staleRead = options.bug === "stale-read";
    this.#random = p.random;
  }

  /** Listens on `options.listen` and prepares a stub per replica. */
  static async connect(p: Providers, options: KvClientOptions): Promise<KvClient> {
    if (options.replicas.length === 0)
      throw new RangeError("options.replicas: expected at least one replica address");
    const timeoutMs = options.timeoutMs ?? 1_000;
    if (!(timeoutMs > 0)) throw new RangeError(`options.timeoutMs: expected > 0, got ${timeoutMs}`);
    const transport = await NetTransport.listen(p, { localAddress: options.listen });
    return new KvClient(p, transport, options);
  }

  /** Replicas whose answers make a majority. */
  get majority(): number {
    return Math.floor(this.#stubs.length / 2) + 1;
  }

  /** Sets `key` to `value`. Throws {@link KvUnavailableError} when the outcome is unknown. */
  async put(key: string, value: string): Promise<void> {
    const seen = await this.#quorum((stub) => stub.query.tryGetReply({ key }, this.#callOptions()));
    const newest = seen.reduce((a, b) => (compareTimestamps(a.ts, b.ts) >= 0 ? a : b));
    const version: Versioned = { ts: { n: newest.ts.n + 1, w: this.#name }, value };
    await this.#quorum((stub) => stub.store.tryGetReply({ key, version }, this.#callOptions()));
  }

  /** The value of `key` (`null` when never written). Throws {@link KvUnavailableError}. */
  async get(key: string): Promise<string | null> {
    if (this.#staleRead) {
      // BUG (stale-read): one replica's word, as a backup serving reads without a lease.
      const stub = this.#stubs[this.#random.int(0, this.#stubs.length)]!;
      try {
        return (await stub.query.tryGetReply({ key }, this.#callOptions())).value;
      } catch (error) {
        throw new KvUnavailableError(`get ${key}: ${describe(error)}`);
      }
    }
    const seen = await this.#quorum((stub) => stub.query.tryGetReply({ key }, this.#callOptions()));
    const newest = seen.reduce((a, b) => (compareTimestamps(a.ts, b.ts) >= 0 ? a : b));
    if (compareTimestamps(newest.ts, ZERO) > 0) {
      // Write back, so that every later read sees at least this version.
      const version = newest;
      await this.#quorum((stub) => stub.store.tryGetReply({ key, version }, this.#callOptions()));
    }
    return newest.value;
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }

  #callOptions(): { timeoutMs: number } {
    return { timeoutMs: this.#timeoutMs };
  }

  /** Sends `call` to every replica and resolves with the first majority of answers. */
  #quorum<T>(call: (stub: Stub) => Promise<T>): Promise<T[]> {
    const need = this.majority;
    const total = this.#stubs.length;
    return new Promise((resolve, reject) => {
      const answers: T[] = [];
      const errors: string[] = [];
      for (const stub of this.#stubs) {
        call(stub).then(
          (answer) => {
            answers.push(answer);
            if (answers.length === need) resolve(answers.slice());
          },
          (error: unknown) => {
            errors.push(describe(error));
            if (errors.length === total - need + 1)
              reject(new KvUnavailableError(`no majority (${need}/${total}): ${errors.join("; ")}`));
          },
        );
      }
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return "kind" in error ? `${error.name}(${String(error.kind)})` : error.name;
  return String(error);
}
