/** Why a frame could not be encoded or decoded. */
export type WireErrorCode =
  | "INSUFFICIENT_DATA"
  | "CHECKSUM_MISMATCH"
  | "INVALID_LENGTH"
  | "PAYLOAD_TOO_LARGE";

/**
 * A framing error. Decoding untrusted bytes only ever throws this (never a RangeError or a
 * crash), so a peer can drop a bad connection and count it.
 */
export class WireError extends Error {
  override readonly name = "WireError";
  readonly code: WireErrorCode;
  /** Extra numbers describing the failure (needed/have, expected/actual, length, size). */
  readonly details: Readonly<Record<string, number>>;
  constructor(code: WireErrorCode, message: string, details: Record<string, number> = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }
}
