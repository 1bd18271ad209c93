import { UID } from "@moonpool/core";
import { crc32c } from "./crc32c.ts";
import { WireError } from "./WireError.ts";

/** Bytes before the payload: length (4) + checksum (4) + token (16). */
export const HEADER_SIZE = 24;
/** Default payload cap, 1 MiB, enforced when sending and when receiving. */
export const MAX_PAYLOAD_SIZE = 1024 * 1024;

/** One decoded frame. `consumed` is how many input bytes it used. */
export interface DecodedFrame {
  token: UID;
  payload: Uint8Array;
  consumed: number;
}

function checkCap(maxPayload: number): void {
  if (!Number.isSafeInteger(maxPayload) || maxPayload < 0 || maxPayload > 0xffff_ffff - HEADER_SIZE) {
    throw new RangeError(`invalid maxPayload: expected an integer in [0, 2^32 - 25], got ${maxPayload}`);
  }
}

/**
 * Frames `payload` for `token`: `[length u32 LE][crc32c u32 LE][token 16 B][payload]`, where
 * `length` counts the whole frame and the CRC covers token + payload (moonpool's layout).
 *
 * @example
 * ```ts
 * const bytes = encodeFrame(new UID(1n, 2n), new TextEncoder().encode("hello"));
 * decodeFrame(bytes)?.payload; // "hello"
 * ```
 * @throws WireError `PAYLOAD_TOO_LARGE` when the payload exceeds `maxPayload` (1 MiB).
 */
export function encodeFrame(token: UID, payload: Uint8Array, maxPayload = MAX_PAYLOAD_SIZE): Uint8Array {
  if (!(token instanceof UID)) throw new TypeError("invalid token: expected a UID");
  if (!(payload instanceof Uint8Array)) throw new TypeError("invalid payload: expected a Uint8Array");
  checkCap(maxPayload);
  if (payload.length > maxPayload) {
    throw new WireError(
      "PAYLOAD_TOO_LARGE",
      `payload of ${payload.length} bytes exceeds the cap of ${maxPayload}`,
      { size: payload.length, max: maxPayload },
    );
  }
  const frame = new Uint8Array(HEADER_SIZE + payload.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, frame.length, true);
  view.setBigUint64(8, token.first, true);
  view.setBigUint64(16, token.second, true);
  frame.set(payload, HEADER_SIZE);
  view.setUint32(4, crc32c(frame.subarray(8)), true);
  return frame;
}

/**
 * Decodes the frame at the start of `bytes`. Returns `null` when more bytes are needed; trailing
 * bytes are left alone (see `consumed`). The returned payload is a view into `bytes`.
 *
 * @throws WireError `INVALID_LENGTH` (length < 24), `PAYLOAD_TOO_LARGE` (over `maxPayload`,
 * checked from the header alone, before waiting for the bytes) or `CHECKSUM_MISMATCH`.
 */
export function decodeFrame(bytes: Uint8Array, maxPayload = MAX_PAYLOAD_SIZE): DecodedFrame | null {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("invalid bytes: expected a Uint8Array");
  checkCap(maxPayload);
  if (bytes.length < HEADER_SIZE) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const length = view.getUint32(0, true);
  if (length < HEADER_SIZE) {
    throw new WireError("INVALID_LENGTH", `frame length ${length} is below the header size`, { length });
  }
  if (length - HEADER_SIZE > maxPayload) {
    throw new WireError(
      "PAYLOAD_TOO_LARGE",
      `incoming payload of ${length - HEADER_SIZE} bytes exceeds the cap of ${maxPayload}`,
      { size: length - HEADER_SIZE, max: maxPayload },
    );
  }
  if (bytes.length < length) return null;
  const expected = view.getUint32(4, true);
  const actual = crc32c(bytes.subarray(8, length));
  if (expected !== actual) {
    throw new WireError(
      "CHECKSUM_MISMATCH",
      `checksum mismatch: header says ${hex(expected)}, content gives ${hex(actual)}`,
      { expected, actual },
    );
  }
  const token = new UID(view.getBigUint64(8, true), view.getBigUint64(16, true));
  return { token, payload: bytes.subarray(HEADER_SIZE, length), consumed: length };
}

/**
 * Strict variant of {@link decodeFrame} for a buffer that must hold one whole frame.
 * @throws WireError `INSUFFICIENT_DATA` when it does not.
 */
export function decodeFrameStrict(bytes: Uint8Array, maxPayload = MAX_PAYLOAD_SIZE): DecodedFrame {
  const frame = decodeFrame(bytes, maxPayload);
  if (frame) return frame;
  const needed =
    bytes.length < HEADER_SIZE
      ? HEADER_SIZE
      : new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  throw new WireError("INSUFFICIENT_DATA", `need ${needed} bytes, have ${bytes.length}`, {
    needed,
    have: bytes.length,
  });
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}
