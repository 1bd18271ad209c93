import type { Endpoint, TimeProvider } from "@moonpool/core";
import { checkCount, checkDuration, InvalidArgumentError } from "@moonpool/core";

/** What the monitor knows about an address. `unknown`: never connected nor failed yet. */
export type AddressStatus = "available" | "failed" | "unknown";

type Event = "available" | "failed" | "disconnect" | "endpoint";
/** A watcher: the event and, for "endpoint", the key of the endpoint reported missing. */
type Watcher = (event: Event, endpointKey: string | undefined) => void;

const LOW_32 = 0xffff_ffffn;

/**
 * True for a well-known token and for every method token of a well-known interface
 * (`UID.wellKnown(id).adjusted(i)`: adjusting adds `i << 32` to `first`, so its low 32 bits stay
 * all ones). A random token matches with probability 2^-32, which only costs it the fast path.
 */
export function isWellKnownFamily(token: { first: bigint }): boolean {
  return (token.first & LOW_32) === LOW_32;
}

/**
 * Tracks which remote addresses are reachable and which endpoints are known to be gone
 * (FDB's SimpleFailureMonitor). Peers feed it (connect, failure, ENDPOINT_NOT_FOUND); the
 * delivery modes consume it.
 *
 * Differences from moonpool (deliberate fixes):
 * - an address never seen is `unknown`, not `failed`, so the first `tryGetReply` to a fresh
 *   address is sent instead of failing at once;
 * - the methods of a well-known interface (`UID.wellKnown(id).adjusted(i)`) are never marked
 *   permanently failed, like well-known tokens: a restarted server registers them again at the
 *   same tokens. Their ENDPOINT_NOT_FOUND still fails the calls waiting on them right now;
 * - a disconnect wakes waiters directly, so a drop followed by a fast reconnect is never missed;
 * - the permanently-failed endpoint set is bounded and evicts its oldest entry when full
 *   (moonpool stops recording new ones);
 * - the address map is bounded too (`maxAddresses`): when full, the address whose status
 *   changed longest ago (and that nobody waits on) is forgotten, i.e. becomes `unknown`.
 */
export class FailureMonitor {
  readonly #time: TimeProvider;
  readonly #maxFailedEndpoints: number;
  readonly #maxAddresses: number;
  // Oldest change first (an entry is re-inserted when its status changes).
  readonly #status = new Map<string, "available" | "failed">();
  readonly #failedEndpoints = new Set<string>();
  readonly #watchers = new Map<string, Set<Watcher>>();

  /**
   * @param options.maxFailedEndpoints bound of the permanently-failed endpoint set (default 100 000)
   * @param options.maxAddresses bound of the address status map (default 4096, at least 1)
   */
  constructor(time: TimeProvider, options: { maxFailedEndpoints?: number; maxAddresses?: number } = {}) {
    this.#time = time;
    this.#maxFailedEndpoints = options.maxFailedEndpoints ?? 100_000;
    checkCount("maxFailedEndpoints", this.#maxFailedEndpoints);
    this.#maxAddresses = options.maxAddresses ?? 4096;
    checkCount("maxAddresses", this.#maxAddresses);
    if (this.#maxAddresses < 1) throw new InvalidArgumentError("maxAddresses", "expected at least 1, got 0");
  }

  /** Records that `address` is reachable or not; waiters wake only on a change. */
  setStatus(address: string, status: "available" | "failed"): void {
    const previous = this.#status.get(address);
    if (previous === status) return;
    if (previous !== undefined) this.#status.delete(address);
    else if (this.#status.size >= this.#maxAddresses) this.#evictAddress();
    this.#status.set(address, status);
    this.#emit(address, status);
  }

  /** Forgets what is known about `address` (it becomes `unknown`); waiters are not woken. */
  forget(address: string): void {
    this.#status.delete(address);
  }

  /** How many addresses have a known status (at most `maxAddresses`). */
  get addressCount(): number {
    return this.#status.size;
  }

  /** A connection to `address` was lost (wakes every waiter for it, even without a change). */
  notifyDisconnect(address: string): void {
    this.#emit(address, "disconnect");
  }

  /**
   * The remote side said `endpoint` does not exist. Ignored for well-known tokens; for the
   * methods of a well-known interface, only the calls waiting on it now are woken (nothing is
   * recorded, since the server may register it again).
   */
  endpointNotFound(endpoint: Endpoint): void {
    if (endpoint.token.isWellKnown()) return;
    const key = endpointKey(endpoint);
    if (isWellKnownFamily(endpoint.token)) {
      this.#emit(endpoint.address.toString(), "endpoint", key);
      return;
    }
    if (this.#failedEndpoints.has(key)) return;
    if (this.#failedEndpoints.size >= this.#maxFailedEndpoints) {
      const oldest = this.#failedEndpoints.values().next();
      if (!oldest.done) this.#failedEndpoints.delete(oldest.value);
    }
    if (this.#maxFailedEndpoints === 0) return;
    this.#failedEndpoints.add(key);
    this.#emit(endpoint.address.toString(), "endpoint", key);
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
    return this.#waitFor((fire) => this.watchDisconnectOrFailure(endpoint, fire), signal);
  }

  /** Resolves at the next disconnect or failure of `address` (not immediately). */
  onDisconnect(address: string, signal?: AbortSignal): Promise<void> {
    return this.#waitFor(
      (fire) => this.#watch(address, (e) => e === "failed" || e === "disconnect", fire),
      signal,
    );
  }

  /**
   * Resolves when `endpoint` is reported missing (ENDPOINT_NOT_FOUND received), or at once when
   * it is permanently failed already.
   */
  onPermanentFailure(endpoint: Endpoint, signal?: AbortSignal): Promise<void> {
    if (this.permanentlyFailed(endpoint)) return Promise.resolve();
    return this.#waitFor((fire) => this.watchPermanentFailure(endpoint, fire), signal);
  }

  /**
   * Calls `fn` once at the next disconnect, failure or permanent failure of `endpoint` (not
   * when it is failed already: check `state()` first). Returns a function that stops watching.
   * The callback form of {@link onDisconnectOrFailure}, without a promise or a signal per call.
   */
  watchDisconnectOrFailure(endpoint: Endpoint, fn: () => void): () => void {
    const key = endpointKey(endpoint);
    return this.#watch(
      endpoint.address.toString(),
      (e, missing) => e === "failed" || e === "disconnect" || (e === "endpoint" && missing === key),
      fn,
    );
  }

  /**
   * Calls `fn` once when `endpoint` is reported missing (not when it is permanently failed
   * already: check `permanentlyFailed()` first). Returns a function that stops watching.
   */
  watchPermanentFailure(endpoint: Endpoint, fn: () => void): () => void {
    const key = endpointKey(endpoint);
    return this.#watch(endpoint.address.toString(), (e, missing) => e === "endpoint" && missing === key, fn);
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

  /** Drops the oldest entry nobody waits on (or the oldest of all if everyone is watched). */
  #evictAddress(): void {
    let victim: string | undefined;
    for (const address of this.#status.keys()) {
      victim ??= address;
      if (!this.#watchers.has(address)) {
        victim = address;
        break;
      }
    }
    if (victim !== undefined) this.#status.delete(victim);
  }

  #emit(address: string, event: Event, key?: string): void {
    const set = this.#watchers.get(address);
    if (!set) return;
    for (const watcher of [...set]) watcher(event, key);
  }

  /** Registers a one-shot watcher of `address`; returns its removal (idempotent). */
  #watch(address: string, accept: (e: Event, endpointKey: string | undefined) => boolean, fn: () => void) {
    let set = this.#watchers.get(address);
    if (!set) {
      set = new Set();
      this.#watchers.set(address, set);
    }
    const watchers = set;
    const remove = (): void => {
      if (!watchers.delete(watcher)) return;
      if (watchers.size === 0 && this.#watchers.get(address) === watchers) this.#watchers.delete(address);
    };
    const watcher: Watcher = (e, key) => {
      if (!accept(e, key)) return;
      remove();
      fn();
    };
    watchers.add(watcher);
    return remove;
  }

  /** A promise over a watcher: resolves when it fires, rejects (and stops it) when `signal` aborts. */
  #waitFor(watch: (fire: () => void) => () => void, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        stop();
        reject(signal?.reason);
      };
      const stop = watch(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

function endpointKey(endpoint: Endpoint): string {
  return `${endpoint.address.toString()}#${endpoint.token.toString()}`;
}
