import type { MonitorConfig } from "./PeerConfig.ts";

/** What the ping timer asks the peer to do. */
export type PingAction = "send-ping" | "tolerate" | "tear-down";

/**
 * The ping/pong state machine of an outbound connection (pure logic over timestamps). Deadlines
 * are absolute: idle → `lastCycle + interval`; awaiting a pong → `sentAt + timeout`.
 */
export class PingTracker {
  readonly config: MonitorConfig;
  sentAt: number | null = null;
  lastCycle: number;
  bytesAtPing = 0;
  timeoutCount = 0;

  constructor(config: MonitorConfig, now: number) {
    this.config = config;
    this.lastCycle = now;
  }

  reset(now: number): void {
    this.sentAt = null;
    this.lastCycle = now;
    this.bytesAtPing = 0;
    this.timeoutCount = 0;
  }

  get awaitingPong(): boolean {
    return this.sentAt !== null;
  }

  /** Milliseconds until the timer should fire. */
  timeUntilNext(now: number): number {
    const deadline =
      this.sentAt === null
        ? this.lastCycle + this.config.pingIntervalMs
        : this.sentAt + this.config.pingTimeoutMs;
    return Math.max(0, deadline - now);
  }

  /** The timer fired; `bytesReceived` is the peer's running total. */
  onTimer(now: number, bytesReceived: number): PingAction {
    if (this.sentAt === null) {
      this.sentAt = now;
      this.lastCycle = now;
      this.bytesAtPing = bytesReceived;
      this.timeoutCount = 0;
      return "send-ping";
    }
    this.timeoutCount++;
    if (bytesReceived > this.bytesAtPing) {
      // Traffic still flows: the pong may just be queued behind it.
      this.bytesAtPing = bytesReceived;
      if (this.timeoutCount > this.config.maxToleratedTimeouts) return "tear-down";
      this.sentAt = now;
      return "tolerate";
    }
    return "tear-down";
  }

  /** A pong arrived; returns its RTT, or null for a spurious pong. */
  onPong(now: number): number | null {
    if (this.sentAt === null) return null;
    const rtt = now - this.sentAt;
    this.sentAt = null;
    this.timeoutCount = 0;
    return rtt;
  }
}
