/** Counters and timings of one peer. Times are `TimeProvider.now()` values (virtual in sim). */
export interface PeerMetrics {
  connectionAttempts: number;
  connectionsEstablished: number;
  /** Failed connect attempts (refused or timed out). */
  connectionFailures: number;
  /** Established connections that were lost (EOF, error, bad frame, ping timeout). */
  disconnects: number;
  messagesSent: number;
  messagesReceived: number;
  messagesQueued: number;
  /** Reliable packets dropped by queue overflow or give-up, and unreliable ones dropped on failure. */
  messagesDropped: number;
  /**
   * Frames handed to a socket whose write then failed: the remote side may or may not have
   * received them, so they are never resent (resending could deliver them twice).
   */
  messagesInDoubt: number;
  bytesSent: number;
  bytesReceived: number;
  /** Reliable + unreliable packets waiting. */
  currentQueueSize: number;
  /** Connections dropped because a frame was malformed (bad checksum, length or size). */
  wireErrors: number;
  createdAt: number;
  lastConnected: number | null;
  lastFailure: number | null;
  consecutiveFailures: number;
  currentReconnectDelayMs: number;
  isConnected: boolean;
  pingsSent: number;
  pongsReceived: number;
  pingTimeouts: number;
  pingTimeoutsTolerated: number;
  lastPingRttMs: number | null;
  minPingRttMs: number | null;
  maxPingRttMs: number | null;
  totalPingRttMs: number;
}

export function newPeerMetrics(now: number, reconnectDelayMs: number): PeerMetrics {
  return {
    connectionAttempts: 0,
    connectionsEstablished: 0,
    connectionFailures: 0,
    disconnects: 0,
    messagesSent: 0,
    messagesReceived: 0,
    messagesQueued: 0,
    messagesDropped: 0,
    messagesInDoubt: 0,
    bytesSent: 0,
    bytesReceived: 0,
    currentQueueSize: 0,
    wireErrors: 0,
    createdAt: now,
    lastConnected: null,
    lastFailure: null,
    consecutiveFailures: 0,
    currentReconnectDelayMs: reconnectDelayMs,
    isConnected: false,
    pingsSent: 0,
    pongsReceived: 0,
    pingTimeouts: 0,
    pingTimeoutsTolerated: 0,
    lastPingRttMs: null,
    minPingRttMs: null,
    maxPingRttMs: null,
    totalPingRttMs: 0,
  };
}

/** Records a pong's round trip. */
export function recordPong(m: PeerMetrics, rttMs: number): void {
  m.pongsReceived++;
  m.lastPingRttMs = rttMs;
  m.minPingRttMs = m.minPingRttMs === null ? rttMs : Math.min(m.minPingRttMs, rttMs);
  m.maxPingRttMs = m.maxPingRttMs === null ? rttMs : Math.max(m.maxPingRttMs, rttMs);
  m.totalPingRttMs += rttMs;
}
