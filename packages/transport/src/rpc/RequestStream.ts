import { AsyncQueue, type Endpoint } from "@moonpool/core";
import type { MessageReceiver } from "./EndpointMap.ts";
import { envelopeFromValue, replyValue } from "./envelope.ts";
import { ReplyError } from "./errors.ts";
import { ReplyPromise } from "./ReplyPromise.ts";
import type { TransportCore } from "./TransportCore.ts";

/** One received request and the promise to answer it. */
export interface IncomingRequest<Req, Resp> {
  request: Req;
  reply: ReplyPromise<Resp>;
}

/** Checks and converts a decoded request value; throw to reject it. */
export type RequestDecoder<Req> = (value: unknown) => Req;

/** Counters of a request stream. */
export interface RequestStreamStats {
  received: number;
  /** Payloads that were not a request envelope at all: dropped (nobody to answer). */
  malformed: number;
  /** Envelopes whose request failed `decodeRequest`: answered with `Serialization`. */
  rejected: number;
  /** Requests refused because `maxQueued` were already waiting: answered `BrokenPromise`, not run. */
  overflowed: number;
}

/**
 * The server side of one method: requests arrive here (decoded when they arrive), each with a
 * {@link ReplyPromise}. At most `maxQueued` wait to be received; more are answered
 * `BrokenPromise` at once without running (counted in `stats.overflowed`). A bad payload never closes the stream: it is dropped and counted, or
 * answered with a `Serialization` error when the reply address could be read.
 *
 * @example
 * ```ts
 * const stream = transport.registerHandler<AddReq, number>(token);
 * for await (const { request, reply } of stream) reply.send(request.a + request.b);
 * ```
 */
export class RequestStream<Req, Resp> implements MessageReceiver {
  readonly endpoint: Endpoint;
  readonly stats: RequestStreamStats = { received: 0, malformed: 0, rejected: 0, overflowed: 0 };
  /** Most requests waiting to be received; one more is answered `BrokenPromise` at once. */
  readonly maxQueued: number;
  readonly #transport: TransportCore;
  readonly #decodeRequest: RequestDecoder<Req> | undefined;
  readonly #queue: AsyncQueue<IncomingRequest<Req, Resp>>;
  readonly #outstanding = new Set<ReplyPromise<Resp>>();
  readonly #onClose: (() => void) | undefined;

  constructor(
    transport: TransportCore,
    endpoint: Endpoint,
    decodeRequest?: RequestDecoder<Req>,
    onClose?: () => void,
    maxQueued = Number.POSITIVE_INFINITY,
  ) {
    this.#transport = transport;
    this.maxQueued = maxQueued;
    // Requests are handed to the serving task through the scheduler (an interleaving point).
    this.#queue = new AsyncQueue<IncomingRequest<Req, Resp>>(transport.providers.task);
    this.endpoint = endpoint;
    this.#decodeRequest = decodeRequest;
    this.#onClose = onClose;
  }

  get closed(): boolean {
    return this.#queue.closed;
  }

  /** Requests waiting to be received. */
  get length(): number {
    return this.#queue.length;
  }

  /** Promises handed out and not answered yet (including queued requests). */
  get outstanding(): number {
    return this.#outstanding.size;
  }

  /** @internal called by the transport for each payload sent to this endpoint. */
  receive(payload: Uint8Array): void {
    let value: unknown;
    try {
      value = this.#transport.codec.decode(payload);
    } catch {
      this.stats.malformed++;
      return;
    }
    const envelope = envelopeFromValue(value);
    if (!envelope) {
      this.stats.malformed++;
      return;
    }
    const reply = new ReplyPromise<Resp>(
      envelope.reply_to,
      (result) => this.#transport.sendReply(envelope.reply_to, replyValue(result)),
      (p) => this.#outstanding.delete(p),
    );
    let request: Req;
    try {
      request = this.#decodeRequest ? this.#decodeRequest(envelope.request) : (envelope.request as Req);
    } catch (error) {
      this.stats.rejected++;
      reply.sendError(new ReplyError("Serialization", `bad request: ${(error as Error)?.message ?? error}`));
      return;
    }
    if (this.#queue.closed) {
      reply.break();
      return;
    }
    if (this.#queue.length >= this.maxQueued) {
      // A client sending faster than the method is served must not grow the queue for good.
      this.stats.overflowed++;
      reply.break();
      return;
    }
    this.stats.received++;
    this.#outstanding.add(reply);
    this.#queue.push({ request, reply });
  }

  /** The next request; `undefined` once the stream is closed. */
  recv(signal?: AbortSignal): Promise<IncomingRequest<Req, Resp> | undefined> {
    return this.#queue.recv(signal);
  }

  tryRecv(): IncomingRequest<Req, Resp> | undefined {
    return this.#queue.tryRecv();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<IncomingRequest<Req, Resp>, void, undefined> {
    while (true) {
      const next = await this.recv();
      if (next === undefined) return;
      yield next;
    }
  }

  /**
   * Stops the stream: unregisters its endpoint (later requests get ENDPOINT_NOT_FOUND), and
   * breaks every queued request and every handed-out promise still unanswered.
   */
  close(): void {
    if (this.#queue.closed) return;
    this.#transport.unregister(this.endpoint.token, this);
    this.#queue.close();
    for (const p of [...this.#outstanding]) p.break();
    this.#onClose?.();
  }
}
