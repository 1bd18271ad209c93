import type { Endpoint, TimeProvider } from "@moonpool/core";
import { checkCount, checkDuration } from "@moonpool/core";

/** What the monitor knows about an address. `unknown`: never connected nor failed yet. */
export type AddressStatus = "available" | "failed" | "unknown";

type Event = "available" | "failed" | "disconnect" | "endpoint";

/**
 * Tracks which remote addresses are reachable and which endpoints are known to be gone
 * (FDB's SimpleFailureMonitor). Peers feed it (connect, failure, ENDPOINT_NOT_FOUND); the
 * delivery modes consume it.
 *
 * Differences from moonpool (deliberate fixes):
 * - an address never seen is `unknown`, not `failed`, so the first `tryGetReply` to a fresh
 *   address is sent instead of failing at once;
 * - a disconnect wakes waiters directly, so a drop followed by a fast reconnect is never missed;
 * - the permanently-failed endpoint set is bounded and evicts its oldest entry when full
 *   (moonpool stops recording new ones).
 */
export class FailureMonitor {
  readonly #time: TimeProvider;
  readonly #maxFailedEndpoints: number;
  readonly #status = new Map<string, "available" | "failed">();
  readonly #failedEndpoints = new Set<string>();
  readonly #watchers = new Map<string, Set<(event: Event) => void>>();

  constructor(time: TimeProvider, options: { maxFailedEndpoints?: number } = {}) {
    this.#time = time;
    this.#maxFailedEndpoints = options.maxFailedEndpoints ?? 100_000;
    checkCount("maxFailedEndpoints", this.#maxFailedEndpoints);
  }

  /** Records that `address` is reachable or not; waiters wake only on a change. */
  setStatus(address: string, status: "available" | "failed"): void {
    const previous = this.#status.get(address);
    if (previous === status) return;
    this.#status.set(address, status);
    this.#emit(address, status);
  }

  /** A connection to `address` was lost (wakes every waiter for it, even without a change). */
  notifyDisconnect(address: string): void {
    this.#emit(address, "disconnect");
  }

  /** The remote side said `endpoint` does not exist. Ignored for well-known tokens. */
  endpointNotFound(endpoint: Endpoint): void {
    if (endpoint.token.isWellKnown()) return;
    const key = endpointKey(endpoint);
    if (this.#failedEndpoints.has(key)) return;
    if (this.#failedEndpoints.size >= this.#maxFailedEndpoints) {
      const oldest = this.#failedEndpoints.values().next();
      if (!oldest.done) this.#failedEndpoints.delete(oldest.value);
    }
    if (this.#maxFailedEndpoints === 0) return;
    this.#failedEndpoints.add(key);
    this.#emit(endpoint.address.toString(), "endpoint");
  }

  addressStatus(address: string): AddressStatus {
    return this.#status.get(address) ?? "unknown";
  }

  permanentlyFailed(endpoint: Endpoint): boolean {
    return this.#failedEndpoints.has(endpointKey(endpoint));
  }

  /** `failed` when the endpoint is permanently failed or its address is failed. */
  state(endpoint: Endpoint): AddressStatus {
    if (this.permanentlyFailed(endpoint)) return "failed";
    return this.addressStatus(endpoint.address.toString());
  }

  /** How many endpoints are recorded as permanently failed. */
  get failedEndpointCount(): number {
    return this.#failedEndpoints.size;
  }

  /**
   * Resolves when `endpoint` is failed now, or at the next disconnect, failure or permanent
   * failure of it. Rejects with the signal's reason when `signal` aborts.
   */
  onDisconnectOrFailure(endpoint: Endpoint, signal?: AbortSignal): Promise<void> {
    if (this.state(endpoint) === "failed") return Promise.resolve();
    return this.#waitFor(
      endpoint.address.toString(),
      (e) => e === "failed" || e === "disconnect" || (e === "endpoint" && this.permanentlyFailed(endpoint)),
      signal,
    );
  }

  /** Resolves at the next disconnect or failure of `address` (not immediately). */
  onDisconnect(address: string, signal?: AbortSignal): Promise<void> {
    return this.#waitFor(address, (e) => e === "failed" || e === "disconnect", signal);
  }

  /** Resolves when `endpoint` is permanently failed (ENDPOINT_NOT_FOUND received). */
  onPermanentFailure(endpoint: Endpoint, signal?: AbortSignal): Promise<void> {
    if (this.permanentlyFailed(endpoint)) return Promise.resolve();
    return this.#waitFor(
      endpoint.address.toString(),
      (e) => e === "endpoint" && this.permanentlyFailed(endpoint),
      signal,
    );
  }

  /**
   * Resolves `ms` after the first disconnect or failure of `endpoint` it sees (immediately armed
   * when it is failed already). The deadline is not reset if the link recovers: a request
   * written to a connection that then broke is never resent, so its reply cannot come.
   */
  async onFailedFor(endpoint: Endpoint, ms: number, signal?: AbortSignal): Promise<void> {
    checkDuration("ms", ms);
    await this.onDisconnectOrFailure(endpoint, signal);
    await this.#time.sleep(ms, signal);
  }

  #emit(address: string, event: Event): void {
    const set = this.#watchers.get(address);
    if (!set) return;
    for (const watcher of [...set]) watcher(event);
  }

  #waitFor(address: string, accept: (e: Event) => boolean, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      let set = this.#watchers.get(address);
      if (!set) {
        set = new Set();
        this.#watchers.set(address, set);
      }
      const cleanup = () => {
        set.delete(watcher);
        if (set.size === 0 && this.#watchers.get(address) === set) this.#watchers.delete(address);
        signal?.removeEventListener("abort", onAbort);
      };
      const watcher = (e: Event) => {
        if (!accept(e)) return;
        cleanup();
        resolve();
      };
      const onAbort = () => {
        cleanup();
        reject(signal?.reason);
      };
      set.add(watcher);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

function endpointKey(endpoint: Endpoint): string {
  return `${endpoint.address.toString()}#${endpoint.token.toString()}`;
}
