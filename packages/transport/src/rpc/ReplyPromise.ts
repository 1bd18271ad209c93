import type { Endpoint } from "@moonpool/core";
import { ReplyError } from "./errors.ts";

/** Sends an encoded reply; built by the request stream. */
export type ReplySender = (result: { ok: true; value: unknown } | { ok: false; error: ReplyError }) => void;

/**
 * The server's handle to answer one request. Exactly one answer is sent: `send`, `sendError`
 * or `break()`; later calls are ignored and return false.
 *
 * JavaScript has no destructors, so an abandoned promise is broken explicitly (the client then
 * sees `BrokenPromise`), by whoever owns it:
 * - `serve()` breaks it when the handler returns without a usable value;
 * - `RequestStream.close()` (and `ServerHandle.stop()`, `NetTransport.close()`) break every
 *   promise the stream handed out that is still unanswered, and every queued request;
 * - user code with a manual `recv()` loop calls `reply.break()` itself (e.g. in `finally`).
 * A crashed process sends nothing: its clients see a disconnect instead.
 */
export class ReplyPromise<T> {
  readonly replyTo: Endpoint;
  readonly #sender: ReplySender;
  readonly #onSettled: ((p: ReplyPromise<T>) => void) | undefined;
  #fulfilled = false;

  constructor(replyTo: Endpoint, sender: ReplySender, onSettled?: (p: ReplyPromise<T>) => void) {
    this.replyTo = replyTo;
    this.#sender = sender;
    this.#onSettled = onSettled;
  }

  get fulfilled(): boolean {
    return this.#fulfilled;
  }

  /** True for a fire-and-forget request: there is nobody to answer. */
  get oneWay(): boolean {
    return !this.replyTo.token.isValid();
  }

  /** Answers with a value. */
  send(value: T): boolean {
    return this.#settle({ ok: true, value });
  }

  /** Answers with an error; a string becomes `Application { message }`. */
  sendError(error: ReplyError | string): boolean {
    return this.#settle({
      ok: false,
      error: typeof error === "string" ? ReplyError.application(error) : error,
    });
  }

  /** Answers `BrokenPromise` unless already answered. */
  break(): boolean {
    if (this.#fulfilled) return false;
    return this.#settle({ ok: false, error: new ReplyError("BrokenPromise") });
  }

  #settle(result: Parameters<ReplySender>[0]): boolean {
    if (this.#fulfilled) return false;
    this.#fulfilled = true;
    this.#onSettled?.(this);
    if (!this.oneWay) this.#sender(result);
    return true;
  }
}
