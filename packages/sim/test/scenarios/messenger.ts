// Fire-and-forget messages between simulated processes over plain connections, for scenario
// workloads. Each line is `<fnv-1a hex>:<json>`: a line whose checksum fails (a bit flip) drops
// the connection. A message to an unreachable peer is dropped, as a datagram would be: protocols
// on top must tolerate loss, delay and staleness. A sender opens a fresh connection for every
// burst and closes it once its queue is empty, so a silently dead (half-open, clogged)
// connection cannot swallow messages for long.

import type { Connection } from "@moonpool/core";
import type { SimContext } from "../../src/index.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MAX_QUEUED = 16;

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
const CONNECT_TIMEOUT_MS = 500;

/** A message: a JSON object with a `type`. */
export type Message = { readonly type: string } & Record<string, unknown>;

/** Sends and receives messages for one process; all tasks end when `ctx.shutdown` aborts. */
export class Messenger {
  readonly #ctx: SimContext;
  readonly #port: number;
  readonly #incoming = new Set<Connection>();
  readonly #out = new Map<string, { queue: string[]; conn: Connection | null; pumping: boolean }>();

  constructor(ctx: SimContext, port: number) {
    this.#ctx = ctx;
    this.#port = port;
  }

  /** Listens on `ctx.ip:port` and calls `onMessage` for every message received. */
  async serve(onMessage: (message: Message) => void): Promise<void> {
    const listener = await this.#ctx.network.listen(`${this.#ctx.ip}:${this.#port}`);
    const stop = (): void => void listener.close();
    this.#ctx.shutdown.addEventListener("abort", stop, { once: true });
    try {
      for (;;) {
        const conn = await listener.accept().catch(() => null);
        if (conn === null) return;
        this.#incoming.add(conn);
        this.#ctx.task.spawn(`recv ${conn.remoteAddress}`, () => this.#readLoop(conn, onMessage));
      }
    } finally {
      this.#ctx.shutdown.removeEventListener("abort", stop);
      for (const out of this.#out.values()) out.conn?.abort();
      for (const conn of this.#incoming) conn.abort();
    }
  }

  /** Queues `message` for the process at `ip` (dropped when its queue is full or the send fails). */
  send(ip: string, message: Message): void {
    let out = this.#out.get(ip);
    if (!out) {
      out = { queue: [], conn: null, pumping: false };
      this.#out.set(ip, out);
    }
    if (out.queue.length >= MAX_QUEUED) return;
    const json = JSON.stringify(message);
    out.queue.push(`${fnv1a(json)}:${json}\n`);
    if (!out.pumping) {
      out.pumping = true;
      const o = out;
      this.#ctx.task.spawn(`send ${ip}`, () => this.#pump(ip, o));
    }
  }

  async #pump(
    ip: string,
    out: { queue: string[]; conn: Connection | null; pumping: boolean },
  ): Promise<void> {
    try {
      while (out.queue.length > 0 && !this.#ctx.shutdown.aborted) {
        if (out.conn === null) out.conn = await this.#connect(`${ip}:${this.#port}`);
        const line = out.queue.shift();
        if (line !== undefined) await out.conn.write(encoder.encode(line));
      }
      const done = out.conn;
      out.conn = null;
      await done?.close();
    } catch {
      out.conn?.abort();
      out.conn = null;
      out.queue.length = 0; // lost, like datagrams
    } finally {
      out.pumping = false;
    }
  }

  async #connect(address: string): Promise<Connection> {
    const pending = this.#ctx.network.connect(address);
    try {
      return await this.#ctx.time.timeout(CONNECT_TIMEOUT_MS, pending);
    } catch (error) {
      pending.then(
        (late) => late.abort(),
        () => {},
      );
      throw error;
    }
  }

  async #readLoop(conn: Connection, onMessage: (message: Message) => void): Promise<void> {
    let buffered = "";
    try {
      for (;;) {
        const chunk = await conn.read();
        if (chunk === null) return;
        buffered += decoder.decode(chunk, { stream: true });
        for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
          const line = buffered.slice(0, end);
          buffered = buffered.slice(end + 1);
          const json = line.slice(9);
          if (line[8] !== ":" || line.slice(0, 8) !== fnv1a(json)) return; // corrupted: drop it
          onMessage(JSON.parse(json) as Message);
        }
      }
    } catch {
      // connection reset or aborted: the sender reconnects
    } finally {
      this.#incoming.delete(conn);
      conn.abort();
    }
  }
}
