import type { DecodedFrame } from "./frame.ts";
import { decodeFrame, MAX_PAYLOAD_SIZE } from "./frame.ts";

/**
 * Turns a chunked byte stream into frames. Push chunks as they arrive, then take every complete
 * frame. Payloads are copies, so they stay valid after later pushes.
 *
 * @example
 * ```ts
 * const decoder = new FrameDecoder();
 * for await (const chunk of socket) for (const f of decoder.push(chunk)) handle(f.token, f.payload);
 * ```
 */
export class FrameDecoder {
  readonly maxPayload: number;
  #buffer: Uint8Array = new Uint8Array(0);
  #start = 0;
  #end = 0;

  constructor(maxPayload = MAX_PAYLOAD_SIZE) {
    this.maxPayload = maxPayload;
  }

  /** Bytes received but not yet part of a complete frame. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Appends a chunk; take frames with {@link next}. */
  append(chunk: Uint8Array): void {
    this.#append(chunk);
  }

  /**
   * The next complete frame, or `null` when more bytes are needed. Throws `WireError` on a bad
   * frame; frames before it were already returned.
   */
  next(): DecodedFrame | null {
    const frame = decodeFrame(this.#buffer.subarray(this.#start, this.#end), this.maxPayload);
    if (!frame) return null;
    this.#start += frame.consumed;
    if (this.#start === this.#end) this.#start = this.#end = 0;
    // Copy: the buffer is reused by later appends.
    return { token: frame.token, payload: frame.payload.slice(), consumed: frame.consumed };
  }

  /** Appends `chunk` and returns every frame now complete (throws `WireError` on a bad frame). */
  push(chunk: Uint8Array): DecodedFrame[] {
    this.#append(chunk);
    const frames: DecodedFrame[] = [];
    for (let f = this.next(); f; f = this.next()) frames.push(f);
    return frames;
  }

  /** Forgets every buffered byte. */
  reset(): void {
    this.#buffer = new Uint8Array(0);
    this.#start = this.#end = 0;
  }

  #append(chunk: Uint8Array): void {
    const live = this.#end - this.#start;
    if (this.#end + chunk.length > this.#buffer.length) {
      if (live + chunk.length <= this.#buffer.length) {
        this.#buffer.copyWithin(0, this.#start, this.#end); // compact in place
      } else {
        const next = new Uint8Array(Math.max(live + chunk.length, this.#buffer.length * 2, 4096));
        next.set(this.#buffer.subarray(this.#start, this.#end), 0);
        this.#buffer = next;
      }
      this.#start = 0;
      this.#end = live;
    }
    this.#buffer.set(chunk, this.#end);
    this.#end += chunk.length;
  }
}
