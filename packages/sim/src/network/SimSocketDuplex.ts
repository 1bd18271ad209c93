import { Duplex } from "node:stream";
import type { DeviceOwner } from "../engine/device-owner.ts";
import type { SimKernel, TimerHandle } from "../engine/kernel.ts";
import { msToNs } from "../engine/time-units.ts";
import { ownedAt } from "./internal/ns.ts";
import type { SimConnection } from "./SimConnection.ts";

function family(host: string): "IPv4" | "IPv6" {
  return host.includes(":") ? "IPv6" : "IPv4";
}

/**
 * A Node `Duplex` over a simulated connection that behaves like a `net.Socket`, so unmodified
 * `node:http` servers (`server.emit("connection", duplex)`) and clients (`createConnection`)
 * run on the simulated network.
 *
 * - `allowHalfOpen` (default): the peer's FIN ends the readable side only (with
 *   `toDuplex({ allowHalfOpen: false })` our side then ends too); `end()` sends our FIN after
 *   pending writes (`close()`), `destroy()` resets (`abort()`) unless we already sent a FIN.
 * - `setTimeout(ms, cb)`: idle timeout on the simulated clock, owned by the connection's
 *   incarnation (a crash drops it, as it drops every callback of the process).
 * - `setNoDelay`, `setKeepAlive`, `ref`, `unref`: accepted and recorded (no simulated effect).
 * - `remoteAddress`/`remotePort`/`remoteFamily`, `localAddress`/`localPort`, `address()`,
 *   `bytesRead`/`bytesWritten`, `readyState`, `connecting` as on a `net.Socket`.
 */
export class SimSocketDuplex extends Duplex {
  readonly #conn: SimConnection;
  readonly #kernel: SimKernel;
  readonly #owner: DeviceOwner;
  #reading = false;
  #timeoutMs = 0;
  #timer: TimerHandle | null = null;
  #lastActivityNs = 0;
  #noDelay = false;
  #keepAlive = false;
  #bytesRead = 0;
  #bytesWritten = 0;
  /** Like `net.Socket#connecting`: the connection is already established. */
  readonly connecting = false;
  /** Like `net.Socket#pending`. */
  readonly pending = false;

  constructor(conn: SimConnection, kernel: SimKernel, owner: DeviceOwner, allowHalfOpen = true) {
    super({ allowHalfOpen, emitClose: true, autoDestroy: true });
    this.#conn = conn;
    this.#kernel = kernel;
    this.#owner = owner;
    this.#lastActivityNs = kernel.nowNs();
  }

  get remoteAddress(): string {
    return this.#conn.remoteHost;
  }
  get remotePort(): number {
    return this.#conn.remotePort;
  }
  get remoteFamily(): string {
    return family(this.#conn.remoteHost);
  }
  get localAddress(): string {
    return this.#conn.localHost;
  }
  get localPort(): number {
    return this.#conn.localPort;
  }
  get localFamily(): string {
    return family(this.#conn.localHost);
  }
  get bytesRead(): number {
    return this.#bytesRead;
  }
  get bytesWritten(): number {
    return this.#bytesWritten;
  }
  /** The idle timeout in ms, or undefined when none is set (as on `net.Socket`). */
  get timeout(): number | undefined {
    return this.#timeoutMs > 0 ? this.#timeoutMs : undefined;
  }
  /** Whether `setNoDelay(true)` was called. */
  get noDelay(): boolean {
    return this.#noDelay;
  }
  /** Whether `setKeepAlive(true)` was called. */
  get keepAlive(): boolean {
    return this.#keepAlive;
  }
  get readyState(): "open" | "readOnly" | "writeOnly" | "closed" {
    if (this.destroyed) return "closed";
    const r = this.readable;
    const w = this.writable;
    return r && w ? "open" : r ? "readOnly" : w ? "writeOnly" : "closed";
  }

  address(): { address: string; family: string; port: number } {
    return { address: this.#conn.localHost, family: this.localFamily, port: this.#conn.localPort };
  }

  /** Idle timeout on the simulated clock: emits "timeout" after `ms` without reads or writes (0 disables). */
  setTimeout(ms: number, callback?: () => void): this {
    if (typeof ms !== "number" || !(ms >= 0) || !Number.isFinite(ms)) {
      throw new RangeError(`The value of "msecs" is out of range. Received ${String(ms)}`);
    }
    if (callback !== undefined) {
      if (ms === 0) this.removeListener("timeout", callback);
      else this.once("timeout", callback);
    }
    this.#timer?.cancel();
    this.#timer = null;
    this.#timeoutMs = ms;
    if (ms > 0 && !this.destroyed) {
      this.#lastActivityNs = this.#kernel.nowNs();
      this.#armTimer();
    }
    return this;
  }

  setNoDelay(noDelay = true): this {
    this.#noDelay = noDelay;
    return this;
  }

  setKeepAlive(enable = false, _initialDelay?: number): this {
    this.#keepAlive = enable;
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  /** Ends the writable side, then destroys the socket once the FIN is out. */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once("finish", () => this.destroy());
  }

  /** Resets the connection (RST) and destroys the socket, like `net.Socket#resetAndDestroy`. */
  resetAndDestroy(): this {
    this.#conn.abort();
    return this.destroy();
  }

  /** Called by the connection when it fails (RST, crash) while nobody is reading. */
  onConnectionFailed(error: Error): void {
    if (this.destroyed || this.#reading) return;
    if ((error as { code?: string }).code === "ECONNABORTED") return;
    // A socket that is not reading learns of the reset only when it next reads or writes;
    // a flowing one is told at once, as Node does for an active handle.
    if (this.readableFlowing === true || this.writableLength > 0) this.destroy(error);
  }

  override _read(): void {
    if (this.#reading) return;
    this.#reading = true;
    this.#conn.read().then(
      (chunk) => {
        this.#reading = false;
        if (this.destroyed) return;
        this.#activity();
        if (chunk === null) {
          this.push(null);
          return;
        }
        this.#bytesRead += chunk.length;
        this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      },
      (error: unknown) => {
        this.#reading = false;
        if (!this.destroyed) this.destroy(error as Error);
      },
    );
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#activity();
    this.#conn.write(chunk).then(
      () => {
        this.#bytesWritten += chunk.length;
        callback();
      },
      (error: unknown) => callback(error as Error),
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#conn.close().then(
      () => callback(),
      (error: unknown) => callback(error as Error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#timer?.cancel();
    this.#timer = null;
    this.#timeoutMs = 0;
    this.#conn.dispose();
    callback(error);
  }

  #activity(): void {
    this.#lastActivityNs = this.#kernel.nowNs();
    if (this.#timeoutMs > 0 && this.#timer === null && !this.destroyed) this.#armTimer();
  }

  /** One pending timer at most; it re-arms itself lazily when there was activity meanwhile. */
  #armTimer(): void {
    const due = this.#lastActivityNs + msToNs(this.#timeoutMs);
    this.#timer = ownedAt(this.#kernel, this.#owner, due, "socket idle timeout", () => {
      this.#timer = null;
      if (this.destroyed || this.#timeoutMs === 0) return;
      const dueNow = this.#lastActivityNs + msToNs(this.#timeoutMs);
      if (dueNow > this.#kernel.nowNs()) {
        this.#armTimer();
        return;
      }
      this.emit("timeout");
    });
  }
}
