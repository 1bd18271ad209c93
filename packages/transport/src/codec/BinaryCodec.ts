import { CodecError, type MessageCodec } from "./Codec.ts";
import { BinaryReader } from "./internal/BinaryReader.ts";
import { BinaryWriter } from "./internal/BinaryWriter.ts";

/**
 * A compact self-describing binary codec over the same value model as {@link JsonCodec}
 * (including exact `bigint`s and raw `Uint8Array`s). Faster and smaller than JSON, but only
 * TypeScript peers read it.
 *
 * Layout: one tag byte per value, then null/booleans/undefined nothing more; integers below
 * 2^52 a zigzag varint; other numbers an f64 LE; bigints a sign byte, a varint byte count and
 * the LE magnitude; strings and bytes a varint length and the bytes (UTF-8); arrays a varint
 * count and the items; objects a varint count of defined fields and (key string, value) pairs.
 */
export class BinaryCodec implements MessageCodec {
  readonly name = "binary";
  // One buffer reused by every encode (messages are copied out of it). A `toJSON` that encodes
  // with this same codec while an encode is running gets a writer of its own.
  readonly #writer = new BinaryWriter();
  #encoding = false;

  encode(value: unknown): Uint8Array {
    const w = this.#encoding ? new BinaryWriter() : this.#writer;
    const shared = w === this.#writer;
    if (shared) this.#encoding = true;
    try {
      w.value(value, 0);
      return w.finish();
    } catch (error) {
      w.abandon();
      if (error instanceof CodecError) throw error;
      throw new CodecError(this.name, "ENCODE", (error as Error).message, { cause: error });
    } finally {
      if (shared) this.#encoding = false;
    }
  }

  decode(bytes: Uint8Array): unknown {
    const r = new BinaryReader(bytes);
    let value: unknown;
    try {
      value = r.value(0);
    } catch (error) {
      if (error instanceof CodecError) throw error;
      throw new CodecError(this.name, "DECODE", (error as Error).message, { cause: error });
    }
    r.end();
    return value;
  }
}
