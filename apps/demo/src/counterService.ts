import type { Listener, Providers, StorageFile } from "@moonpool/core";
import { LineReader, writeLine } from "./lines.ts";

/** File holding the counter: one little-endian u64 at offset 0. */
export const COUNTER_FILE = "counter.bin";

/**
 * An echo service with a durable request counter, written only against `Providers`: every line
 * a client sends is answered with `<count> <line>`, where `count` survives restarts because it is
 * written and synced before the reply.
 */
export class CounterService {
  readonly #p: Providers;
  readonly #file: StorageFile;
  readonly #listener: Listener;
  #count: number;

  private constructor(p: Providers, file: StorageFile, listener: Listener, count: number) {
    this.#p = p;
    this.#file = file;
    this.#listener = listener;
    this.#count = count;
  }

  /** Recovers the counter from storage and starts listening on `address` (port 0: any). */
  static async start(p: Providers, address: string): Promise<CounterService> {
    const file = await p.storage.open(COUNTER_FILE, { read: true, write: true, create: true });
    const bytes = await file.read(0, 8);
    const count =
      bytes.byteLength === 8 ? Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true)) : 0;
    const listener = await p.network.listen(address);
    return new CounterService(p, file, listener, count);
  }

  /** Where clients connect. */
  get address(): string {
    return this.#listener.address;
  }

  get count(): number {
    return this.#count;
  }

  /** Accepts clients until `signal` aborts, then closes the listener and the file. */
  async serve(signal: AbortSignal): Promise<void> {
    const stop = (): void => void this.#listener.close();
    signal.addEventListener("abort", stop, { once: true });
    const clients = [];
    try {
      while (!signal.aborted) {
        const conn = await this.#listener.accept().catch(() => null);
        if (conn === null) break;
        clients.push(
          this.#p.task.spawn(`client ${conn.remoteAddress}`, async () => {
            const lines = new LineReader(conn);
            for (let line = await lines.next(); line !== null; line = await lines.next()) {
              const count = await this.#increment();
              await writeLine(conn, `${count} ${line}`);
            }
            await conn.close();
          }),
        );
      }
      await Promise.allSettled(clients.map((c) => c.join()));
    } finally {
      signal.removeEventListener("abort", stop);
      await this.#listener.close();
      await this.#file.close();
    }
  }

  // Requests are handled one at a time per connection, but two connections may interleave:
  // the counter is bumped synchronously before the await, so each request gets its own value.
  async #increment(): Promise<number> {
    this.#count += 1;
    const value = this.#count;
    const record = new Uint8Array(8);
    new DataView(record.buffer).setBigUint64(0, BigInt(value), true);
    await this.#file.write(0, record);
    await this.#file.sync(); // durable before the client hears about it
    return value;
  }
}

/** Connects to `address`, sends each message as a line and returns the replies. */
export async function sendLines(
  p: Providers,
  address: string,
  messages: readonly string[],
): Promise<string[]> {
  const conn = await p.network.connect(address);
  const lines = new LineReader(conn);
  const replies: string[] = [];
  for (const message of messages) {
    await writeLine(conn, message);
    const reply = await lines.next();
    if (reply === null)
      throw new Error(`server closed the connection before answering ${JSON.stringify(message)}`);
    replies.push(reply);
  }
  await conn.close();
  return replies;
}
