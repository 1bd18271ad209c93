// An AbortController made only when its signal is first read. A seed has a shutdown signal per
// actor and a chaos-end signal, and most seeds read few of them; Node's AbortController and its
// EventTarget are among the costliest objects a small seed allocates.

/** `abort()` now, the `AbortSignal` only for whoever asks for it (already aborted if late). */
export class LazyAbort {
  private controller: AbortController | null = null;
  private reason: unknown = undefined;
  private done = false;

  /** True once `abort()` was called. */
  get aborted(): boolean {
    return this.done;
  }

  /** The signal (created on first read; aborted with the same reason if `abort()` came first). */
  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.done) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Aborts (once): listeners of a signal already handed out run now, as with AbortController. */
  abort(reason: unknown): void {
    if (this.done) return;
    this.done = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}
