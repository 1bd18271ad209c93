import { checkDuration, Endpoint, type TimeProvider, UID } from "@moonpool/core";
import { DONE } from "../internal/deferred.ts";
import { envelopeValue, replyFromValue } from "./envelope.ts";
import { MessagingError, ReplyError } from "./errors.ts";
import { ReplyFuture } from "./ReplyFuture.ts";
import type { TransportCore } from "./TransportCore.ts";

/** Per-call options of the request/reply delivery modes. */
export interface CallOptions {
  /** Overrides the transport's `rpcTimeoutMs` (`null`: no timeout). Expiry rejects `Timeout`. */
  timeoutMs?: number | null;
  /** Aborting rejects the call with `Cancelled` and stops waiting (the request may still run). */
  signal?: AbortSignal;
}

/** Checks and converts a decoded response value; throw to reject it (`Serialization`). */
export type ResponseDecoder<Resp> = (value: unknown) => Resp;

/**
 * Sends a request to `destination` and returns its {@link ReplyFuture}: registers a random reply
 * token at this process's address, encodes `{request, reply_to}` and queues it (reliable or
 * unreliable). The reply token is unregistered when the future settles, and also when sending
 * fails (a leak in moonpool).
 *
 * @throws MessagingError synchronously (`SerializationFailed`, `EndpointNotFound` for a local
 * destination, `PeerError`, `InvalidState`).
 */
export function sendRequest<Resp>(
  transport: TransportCore,
  destination: Endpoint,
  request: unknown,
  reliable: boolean,
  options: CallOptions = {},
  decodeResponse?: ResponseDecoder<Resp>,
): ReplyFuture<Resp> {
  // Check the options before anything is registered or sent: a bad timeout must not leave a
  // request in flight, and an aborted signal sends nothing.
  const timeoutMs = options.timeoutMs === undefined ? transport.rpcTimeoutMs : options.timeoutMs;
  if (timeoutMs !== null) checkDuration("timeoutMs", timeoutMs);
  const token = transport.randomUID();
  const future = new ReplyFuture<Resp>(token, destination);
  if (options.signal?.aborted) {
    future.cancel();
    return future;
  }
  const receiver = {
    receive(payload: Uint8Array): void {
      let result: ReturnType<typeof replyFromValue>;
      try {
        result = replyFromValue(transport.codec.decode(payload));
      } catch (error) {
        future.fail(new ReplyError("Serialization", (error as Error).message, { cause: error }));
        return;
      }
      if (!result.ok) {
        future.fail(result.error);
        return;
      }
      if (!decodeResponse) {
        future.resolve(result.value as Resp);
        return;
      }
      let value: Resp;
      try {
        value = decodeResponse(result.value);
      } catch (error) {
        future.fail(new ReplyError("Serialization", `bad response: ${(error as Error)?.message ?? error}`));
        return;
      }
      future.resolve(value);
    },
  };
  let payload: Uint8Array;
  try {
    payload = transport.codec.encode(envelopeValue(request, new Endpoint(transport.localAddress, token)));
  } catch (error) {
    throw new MessagingError("SerializationFailed", (error as Error).message, { cause: error });
  }
  transport.register(token, receiver);
  future.onSettle(() => transport.unregister(token, receiver));
  try {
    if (reliable) transport.sendReliable(destination, payload);
    else transport.sendUnreliable(destination, payload);
  } catch (error) {
    transport.unregister(token, receiver);
    throw error;
  }
  armTimeoutAndSignal(transport, future, timeoutMs, options.signal);
  transport.trackReply(future);
  return future;
}

function armTimeoutAndSignal(
  transport: TransportCore,
  future: ReplyFuture<unknown>,
  timeoutMs: number | null,
  signal: AbortSignal | undefined,
): void {
  if (future.settled) return; // local delivery can answer synchronously
  if (timeoutMs !== null) armTimeout(transport.providers.time, future, timeoutMs);
  armSignal(future, signal);
}

function armTimeout(time: TimeProvider, future: ReplyFuture<unknown>, timeoutMs: number): void {
  const expire = () => future.fail(new ReplyError("Timeout", `no reply within ${timeoutMs} ms`));
  if (time.callAfter) {
    // A plain cancellable timer where the provider has one (real time): no controller, no
    // promise, no listener per call. The simulator has none: its timers are scheduling points.
    future.onSettle(time.callAfter(timeoutMs, expire));
    return;
  }
  const timer = new AbortController();
  future.onSettle(() => timer.abort(DONE));
  time.sleep(timeoutMs, timer.signal).then(expire, () => {});
}

function armSignal(future: ReplyFuture<unknown>, signal: AbortSignal | undefined): void {
  if (signal) {
    if (signal.aborted) {
      future.cancel();
      return;
    }
    const onAbort = () => future.cancel();
    signal.addEventListener("abort", onAbort, { once: true });
    future.onSettle(() => signal.removeEventListener("abort", onAbort));
  }
}

/**
 * A client's handle to one remote method (an endpoint plus the transport), offering the four
 * delivery modes. Rejections are `RpcError`s (`ReplyError` or `MessagingError`).
 *
 * No mode ever runs a request twice: the transport sends each frame at most once (a peer never
 * resends a frame it handed to a socket). What differs is what survives a disconnect and how
 * a loss surfaces:
 *
 * | mode | queue | request before it reaches a socket | on disconnect / failure | BrokenPromise |
 * |---|---|---|---|---|
 * | `send` | unreliable | dropped on a disconnect | — (no reply) | — |
 * | `tryGetReply` | unreliable | dropped on a disconnect | `MaybeDelivered` | → `MaybeDelivered` |
 * | `getReply` | reliable | kept across reconnects | keeps waiting (`Timeout`) | as is |
 * | `getReplyUnlessFailedFor` | reliable | kept across reconnects | `MaybeDelivered` after `ms` | → `MaybeDelivered` |
 *
 * A request or reply already handed to a connection that then breaks may be lost: the call
 * ends with `MaybeDelivered` or `Timeout`, both meaning "may or may not have run".
 */
export class ServiceEndpoint<Req, Resp> {
  readonly endpoint: Endpoint;
  readonly transport: TransportCore;
  readonly #decodeResponse: ResponseDecoder<Resp> | undefined;

  constructor(transport: TransportCore, endpoint: Endpoint, decodeResponse?: ResponseDecoder<Resp>) {
    this.transport = transport;
    this.endpoint = endpoint;
    this.#decodeResponse = decodeResponse;
  }

  /**
   * Fire-and-forget on the unreliable queue; the envelope's reply token is `UID(0, 0)` and no
   * reply endpoint is registered.
   * @throws MessagingError (e.g. `EndpointNotFound` for a local destination)
   */
  send(request: Req): void {
    let payload: Uint8Array;
    try {
      payload = this.transport.codec.encode(
        envelopeValue(request, new Endpoint(this.transport.localAddress, UID.NONE)),
      );
    } catch (error) {
      throw new MessagingError("SerializationFailed", (error as Error).message, { cause: error });
    }
    this.transport.sendUnreliable(this.endpoint, payload);
  }

  /** The raw reliable request future, for custom races. */
  sendRequest(request: Req, options: CallOptions = {}): ReplyFuture<Resp> {
    return sendRequest(this.transport, this.endpoint, request, true, options, this.#decodeResponse);
  }

  /**
   * At most once, retried across reconnects until sent (reliable queue): the request runs at
   * most once, and it is not lost while it waits for a connection. Once handed to a connection
   * that breaks, it (or its reply) may be lost: the call then ends with `Timeout`. Waits for the
   * reply, `options.timeoutMs` or the transport default. Rejects `EndpointNotFound` when the
   * server says the method does not exist, and passes server errors (including `BrokenPromise`)
   * through unchanged.
   */
  async getReply(request: Req, options: CallOptions = {}): Promise<Resp> {
    const future = this.#start(request, true, options);
    if (this.transport.isLocalAddress(this.endpoint.address)) return future.promise;
    const fm = this.transport.failureMonitor;
    return this.#race(
      future,
      (fire) => {
        if (!fm.permanentlyFailed(this.endpoint)) return fm.watchPermanentFailure(this.endpoint, fire);
        fire();
        return NO_WATCH;
      },
      () => new ReplyError("EndpointNotFound", this.endpoint.toString()),
      false,
    );
  }

  /**
   * At most once, not retried (unreliable queue: dropped if the connection fails first). Rejects `MaybeDelivered` at once when the destination is
   * known to be failed (and asks its peer to reconnect, so later calls can succeed), or as soon
   * as it disconnects or fails before the reply; `BrokenPromise` becomes `MaybeDelivered`.
   */
  async tryGetReply(request: Req, options: CallOptions = {}): Promise<Resp> {
    const fm = this.transport.failureMonitor;
    const local = this.transport.isLocalAddress(this.endpoint.address);
    if (!local && fm.state(this.endpoint) === "failed") {
      if (!fm.permanentlyFailed(this.endpoint)) this.transport.connectPeer(this.endpoint.address);
      throw new ReplyError("MaybeDelivered", "destination is failed");
    }
    const future = this.#start(request, false, options);
    return this.#race(
      future,
      (fire) => {
        if (local) return NO_WATCH;
        if (fm.state(this.endpoint) !== "failed") return fm.watchDisconnectOrFailure(this.endpoint, fire);
        fire();
        return NO_WATCH;
      },
      () => new ReplyError("MaybeDelivered", "connection failed before the reply"),
      true,
    );
  }

  /**
   * Like `getReply` (at most once, kept across reconnects until sent), but gives up with
   * `MaybeDelivered` once `ms` have passed since the destination was
   * first seen failed or disconnected during the call; `BrokenPromise` becomes `MaybeDelivered`.
   */
  async getReplyUnlessFailedFor(request: Req, ms: number, options: CallOptions = {}): Promise<Resp> {
    checkDuration("ms", ms);
    const fm = this.transport.failureMonitor;
    const local = this.transport.isLocalAddress(this.endpoint.address);
    const future = this.#start(request, true, options);
    return this.#race(
      future,
      (fire) => {
        if (local) return NO_WATCH;
        // This watch involves a timer, so it keeps the promise-and-signal form.
        const stop = new AbortController();
        fm.onFailedFor(this.endpoint, ms, stop.signal).then(fire, () => {});
        return () => stop.abort(DONE);
      },
      () => new ReplyError("MaybeDelivered", `destination failed for ${ms} ms`),
      true,
    );
  }

  /** Serializes as its endpoint. */
  toJSON(): ReturnType<Endpoint["toJSON"]> {
    return this.endpoint.toJSON();
  }

  #start(request: Req, reliable: boolean, options: CallOptions): ReplyFuture<Resp> {
    return sendRequest(this.transport, this.endpoint, request, reliable, options, this.#decodeResponse);
  }

  // The reply wins when both are ready: a reply is settled synchronously when its frame is
  // read, before the failure can fire. `watch(fire)` calls `fire` when the failure happens (at
  // once when it already has) and returns what stops watching; the future fails one microtask
  // after `fire`, as when the failure was a promise the race awaited.
  async #race(
    future: ReplyFuture<Resp>,
    watch: (fire: () => void) => () => void,
    onFailure: () => ReplyError,
    brokenIsMaybeDelivered: boolean,
  ): Promise<Resp> {
    const stop = future.settled
      ? NO_WATCH
      : watch(() => {
          void Promise.resolve().then(() => future.fail(onFailure()));
        });
    try {
      return await future;
    } catch (error) {
      if (brokenIsMaybeDelivered && error instanceof ReplyError && error.kind === "BrokenPromise") {
        throw new ReplyError("MaybeDelivered", "the server broke its promise", { cause: error });
      }
      throw error;
    } finally {
      stop();
    }
  }
}

/** The watch of a local destination: it never fails. */
function NO_WATCH(): void {}
