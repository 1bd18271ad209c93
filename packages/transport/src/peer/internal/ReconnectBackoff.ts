/** What the backoff needs from its peer's configuration. */
export interface BackoffConfig {
  initialReconnectDelayMs: number;
  maxReconnectDelayMs: number;
  reconnectJitter: number;
  stableConnectionMs: number;
}

/**
 * The reconnect state of one outbound peer (moonpool's ReconnectState, plus jitter and the
 * stable-connection rule). Waits are measured from the start of the previous attempt; the delay
 * doubles before the first wait, so retries come at ~2x, 4x, 8x the initial delay, capped.
 */
export class ReconnectBackoff {
  readonly #config: BackoffConfig;
  readonly #random: () => number;
  /** The current (un-jittered) delay. */
  delayMs: number;
  /** Consecutive failed connect attempts. */
  failures = 0;
  #nextWait: number;
  #lastAttempt: number | null = null;

  constructor(config: BackoffConfig, random: () => number) {
    this.#config = config;
    this.#random = random;
    this.delayMs = config.initialReconnectDelayMs;
    this.#nextWait = this.delayMs;
  }

  /** How long to wait before the next attempt at `now` (0: go). */
  waitMs(now: number): number {
    return this.#lastAttempt === null ? 0 : Math.max(0, this.#lastAttempt + this.#nextWait - now);
  }

  attemptStarted(now: number): void {
    this.#lastAttempt = now;
  }

  /** A connect attempt failed (refused or timed out). */
  attemptFailed(): void {
    this.failures++;
    this.#grow();
  }

  /** A connect attempt succeeded; the delay itself is reset only once the link proves stable. */
  connected(): void {
    this.failures = 0;
  }

  /** An established connection that started at `connectedAt` was lost at `now`. */
  connectionLost(now: number, connectedAt: number): void {
    if (now - connectedAt >= this.#config.stableConnectionMs) this.reset();
    else this.#grow();
  }

  /** Back to the initial state: the next attempt goes at once. */
  reset(): void {
    this.failures = 0;
    this.delayMs = this.#config.initialReconnectDelayMs;
    this.#nextWait = this.delayMs;
    this.#lastAttempt = null;
  }

  #grow(): void {
    this.delayMs = Math.min(this.delayMs * 2, this.#config.maxReconnectDelayMs);
    const jitter = this.#config.reconnectJitter;
    this.#nextWait = jitter === 0 ? this.delayMs : this.delayMs * (1 - jitter * this.#random());
  }
}
