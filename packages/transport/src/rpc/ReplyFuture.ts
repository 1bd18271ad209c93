import type { Endpoint, UID } from "@moonpool/core";
import { deferred } from "../internal/deferred.ts";
import { ReplyError } from "./errors.ts";

/**
 * The client's side of one request: a promise of the reply plus `cancel()`. Settling (by reply,
 * error, timeout, cancellation or transport close) unregisters the reply token, so a late reply
 * is answered with ENDPOINT_NOT_FOUND and nothing leaks.
 */
export class ReplyFuture<T> implements PromiseLike<T> {
  readonly token: UID;
  readonly destination: Endpoint;
  readonly #deferred = deferred<T>();
  readonly #cleanups: (() => void)[] = [];
  #settled = false;

  constructor(token: UID, destination: Endpoint) {
    this.token = token;
    this.destination = destination;
    this.#deferred.promise.catch(() => {}); // rejection is reported through then() only
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** The reply as a plain promise. */
  get promise(): Promise<T> {
    return this.#deferred.promise;
  }

  // biome-ignore lint/suspicious/noThenProperty: a ReplyFuture is deliberately awaitable
  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#deferred.promise.then(onFulfilled, onRejected);
  }

  /** Gives up waiting: rejects with `error` (default `Cancelled`) unless already settled. */
  cancel(error: ReplyError = new ReplyError("Cancelled")): boolean {
    return this.fail(error);
  }

  /** @internal settles with a value. */
  resolve(value: T): boolean {
    if (this.#settled) return false;
    this.#finish();
    this.#deferred.resolve(value);
    return true;
  }

  /** @internal settles with an error. */
  fail(error: unknown): boolean {
    if (this.#settled) return false;
    this.#finish();
    this.#deferred.reject(error);
    return true;
  }

  /** @internal runs `fn` once when the future settles. */
  onSettle(fn: () => void): void {
    if (this.#settled) fn();
    else this.#cleanups.push(fn);
  }

  #finish(): void {
    this.#settled = true;
    for (const fn of this.#cleanups.splice(0)) fn();
  }
}
