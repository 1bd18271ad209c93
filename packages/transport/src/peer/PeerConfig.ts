import { checkDuration, InvalidArgumentError } from "@moonpool/core";
import { MAX_PAYLOAD_SIZE } from "../wire/frame.ts";

/** Ping/pong connection monitor settings (outbound peers only). */
export interface MonitorConfig {
  /** Idle time between pings. Default 1000 ms. */
  pingIntervalMs: number;
  /** How long to wait for a pong. Default 2000 ms. */
  pingTimeoutMs: number;
  /** Missed pongs tolerated while other bytes keep arriving. Default 3. */
  maxToleratedTimeouts: number;
}

/** Settings applied to every peer of a transport. Defaults match moonpool. */
export interface PeerConfig {
  /** First reconnect delay; doubles per failure. Default 100 ms (so the first wait is ~200 ms). */
  initialReconnectDelayMs: number;
  /** Backoff cap. Default 30 000 ms. */
  maxReconnectDelayMs: number;
  /**
   * Each wait is shortened by up to this fraction, drawn from the RandomProvider, so peers that
   * failed together do not reconnect in lockstep. Default 0.2 (moonpool has no jitter: use 0).
   */
  reconnectJitter: number;
  /** Reliable queue bound; when full, the OLDEST reliable packet is dropped (and counted). Default 1000. */
  maxQueueSize: number;
  /**
   * Unreliable queue bound (pings, ENDPOINT_NOT_FOUND answers, fire-and-forget sends); when
   * full, the OLDEST unreliable packet is dropped (and counted). Default 1000 (moonpool: none).
   */
  maxUnreliableQueueSize: number;
  /**
   * A connection that was up at least this long resets the backoff, so its loss reconnects at
   * once (moonpool always does). One lost sooner counts as a failure and the backoff goes on,
   * so a link that connects but breaks at once cannot spin. Default 1000 ms.
   */
  stableConnectionMs: number;
  /** Connect attempt timeout. Default 5000 ms. */
  connectionTimeoutMs: number;
  /**
   * Consecutive connect failures before the peer gives up: it drops its queued packets (counted),
   * reports the address failed, and starts afresh at the next send. Default `null` (never).
   */
  maxConnectionFailures: number | null;
  /** Ping monitor, or `null` for none. */
  monitor: MonitorConfig | null;
  /** Largest payload accepted when sending and when receiving. Default 1 MiB. */
  maxPayloadSize: number;
}

export const DEFAULT_MONITOR_CONFIG: MonitorConfig = Object.freeze({
  pingIntervalMs: 1000,
  pingTimeoutMs: 2000,
  maxToleratedTimeouts: 3,
});

export const DEFAULT_PEER_CONFIG: PeerConfig = Object.freeze({
  initialReconnectDelayMs: 100,
  maxReconnectDelayMs: 30_000,
  reconnectJitter: 0.2,
  maxQueueSize: 1000,
  maxUnreliableQueueSize: 1000,
  stableConnectionMs: 1000,
  connectionTimeoutMs: 5000,
  maxConnectionFailures: null,
  monitor: DEFAULT_MONITOR_CONFIG,
  maxPayloadSize: MAX_PAYLOAD_SIZE,
});

/** Fills defaults and validates; bad values throw an error naming the field. */
export function resolvePeerConfig(
  partial: Partial<Omit<PeerConfig, "monitor">> & { monitor?: Partial<MonitorConfig> | null } = {},
): PeerConfig {
  const monitor = partial.monitor === null ? null : { ...DEFAULT_MONITOR_CONFIG, ...(partial.monitor ?? {}) };
  const config: PeerConfig = { ...DEFAULT_PEER_CONFIG, ...partial, monitor };
  checkDuration("peerConfig.initialReconnectDelayMs", config.initialReconnectDelayMs);
  checkDuration("peerConfig.maxReconnectDelayMs", config.maxReconnectDelayMs);
  checkDuration("peerConfig.connectionTimeoutMs", config.connectionTimeoutMs);
  checkDuration("peerConfig.stableConnectionMs", config.stableConnectionMs);
  if (!(config.reconnectJitter >= 0 && config.reconnectJitter <= 1)) {
    throw new InvalidArgumentError(
      "peerConfig.reconnectJitter",
      `expected [0, 1], got ${config.reconnectJitter}`,
    );
  }
  if (!Number.isSafeInteger(config.maxQueueSize) || config.maxQueueSize < 1) {
    throw new InvalidArgumentError(
      "peerConfig.maxQueueSize",
      `expected an integer >= 1, got ${config.maxQueueSize}`,
    );
  }
  if (!Number.isSafeInteger(config.maxUnreliableQueueSize) || config.maxUnreliableQueueSize < 1) {
    throw new InvalidArgumentError(
      "peerConfig.maxUnreliableQueueSize",
      `expected an integer >= 1, got ${config.maxUnreliableQueueSize}`,
    );
  }
  if (
    config.maxConnectionFailures !== null &&
    (!Number.isSafeInteger(config.maxConnectionFailures) || config.maxConnectionFailures < 1)
  ) {
    throw new InvalidArgumentError(
      "peerConfig.maxConnectionFailures",
      `expected null or an integer >= 1, got ${config.maxConnectionFailures}`,
    );
  }
  if (!Number.isSafeInteger(config.maxPayloadSize) || config.maxPayloadSize < 0) {
    throw new InvalidArgumentError(
      "peerConfig.maxPayloadSize",
      `expected an integer >= 0, got ${config.maxPayloadSize}`,
    );
  }
  if (monitor) {
    checkDuration("peerConfig.monitor.pingIntervalMs", monitor.pingIntervalMs);
    checkDuration("peerConfig.monitor.pingTimeoutMs", monitor.pingTimeoutMs);
    if (!Number.isSafeInteger(monitor.maxToleratedTimeouts) || monitor.maxToleratedTimeouts < 0) {
      throw new InvalidArgumentError(
        "peerConfig.monitor.maxToleratedTimeouts",
        `expected an integer >= 0, got ${monitor.maxToleratedTimeouts}`,
      );
    }
  }
  return config;
}
