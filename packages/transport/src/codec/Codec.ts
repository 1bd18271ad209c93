/** A payload could not be encoded or decoded. */
export class CodecError extends Error {
  override readonly name = "CodecError";
  readonly code: "ENCODE" | "DECODE";
  readonly codec: string;
  constructor(codec: string, code: "ENCODE" | "DECODE", message: string, options?: { cause?: unknown }) {
    super(`${codec} ${code === "ENCODE" ? "encode" : "decode"} failed: ${message}`, options);
    this.codec = codec;
    this.code = code;
  }
}

/**
 * Turns message values into payload bytes and back. A codec is chosen once per transport and
 * applies to every message it carries.
 *
 * Value model (both built-in codecs): `null`, booleans, numbers, `bigint` (exact 64-bit
 * integers), strings, arrays, `Uint8Array`, plain objects, and anything with a `toJSON()`
 * (UID, NetworkAddress, Endpoint). `undefined` object fields are omitted. Decoding never calls
 * user code and never produces a `__proto__` own key.
 */
export interface MessageCodec {
  readonly name: string;
  /** @throws CodecError (`ENCODE`) */
  encode(value: unknown): Uint8Array;
  /** @throws CodecError (`DECODE`) */
  decode(bytes: Uint8Array): unknown;
}
