import type { Endpoint, NetworkAddress, Providers, UID } from "@moonpool/core";
import type { MessageCodec } from "../codec/Codec.ts";
import type { MessageReceiver } from "./EndpointMap.ts";
import type { FailureMonitor } from "./FailureMonitor.ts";

/**
 * What the RPC types need from a transport (moonpool's `TransportHandle`). `NetTransport`
 * implements it; tests may provide their own.
 */
export interface TransportCore {
  readonly providers: Providers;
  readonly codec: MessageCodec;
  readonly failureMonitor: FailureMonitor;
  readonly localAddress: NetworkAddress;
  /** Default RPC timeout in ms, or `null` for none. */
  readonly rpcTimeoutMs: number | null;
  isLocalAddress(address: NetworkAddress | string): boolean;
  sendReliable(endpoint: Endpoint, payload: Uint8Array): void;
  sendUnreliable(endpoint: Endpoint, payload: Uint8Array): void;
  /**
   * Encodes and sends a reply value reliably; failures are counted, never thrown. A reply over
   * the frame cap is replaced by a `ReplyTooLarge` error (so the client learns at once).
   */
  sendReply(endpoint: Endpoint, value: unknown): void;
  register(token: UID, receiver: MessageReceiver): void;
  unregister(token: UID, receiver?: MessageReceiver): boolean;
  randomUID(): UID;
  /** Asks the peer for `address` to (re)connect even with nothing queued. */
  connectPeer(address: NetworkAddress | string): void;
  /** @internal tracks an in-flight request so `close()` can settle it. */
  trackReply(future: { fail(error: unknown): boolean; onSettle(fn: () => void): void }): void;
}
