import { Endpoint, NetworkAddress, UID } from "@moonpool/core";
import { ReplyError } from "./errors.ts";

/** A request as it travels: the request value plus where to send the reply (serde layout). */
export interface RequestEnvelope<Req = unknown> {
  request: Req;
  reply_to: Endpoint;
}

/** The value a codec encodes for a request envelope. */
export function envelopeValue(request: unknown, replyTo: Endpoint): unknown {
  return { request: request === undefined ? null : request, reply_to: replyTo.toJSON() };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function u64(v: unknown): bigint | null {
  if (typeof v === "bigint") return v >= 0n && v < 1n << 64n ? v : null;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  return null;
}

/** Reads a `{ first, second }` UID; null when malformed. */
export function uidFromValue(v: unknown): UID | null {
  if (!isRecord(v)) return null;
  const first = u64(v.first);
  const second = u64(v.second);
  return first === null || second === null ? null : new UID(first, second);
}

/** Reads a `{ ip, port, flags }` address; null when malformed. */
export function addressFromValue(v: unknown): NetworkAddress | null {
  if (!isRecord(v) || typeof v.ip !== "string" || typeof v.port !== "number") return null;
  const flags = v.flags === undefined ? 0 : v.flags;
  if (typeof flags !== "number") return null;
  try {
    return new NetworkAddress(v.ip, v.port, flags);
  } catch {
    return null;
  }
}

/** Reads a decoded envelope value; null when it is not one. */
export function envelopeFromValue(v: unknown): RequestEnvelope<unknown> | null {
  if (!isRecord(v) || !("request" in v) || !isRecord(v.reply_to)) return null;
  const address = addressFromValue(v.reply_to.address);
  const token = uidFromValue(v.reply_to.token);
  if (!address || !token) return null;
  return { request: v.request, reply_to: new Endpoint(address, token) };
}

/** The value a codec encodes for a reply: `{ Ok: value }` or `{ Err: ReplyError }`. */
export function replyValue(result: { ok: true; value: unknown } | { ok: false; error: ReplyError }): unknown {
  if (result.ok) return { Ok: result.value === undefined ? null : result.value };
  return { Err: result.error.toWire() };
}

/** Reads a decoded reply value. */
export function replyFromValue(v: unknown): { ok: true; value: unknown } | { ok: false; error: ReplyError } {
  if (isRecord(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === "Ok") return { ok: true, value: v.Ok };
    if (keys.length === 1 && keys[0] === "Err") {
      const error = ReplyError.fromWire(v.Err);
      if (error) return { ok: false, error };
    }
  }
  return {
    ok: false,
    error: new ReplyError("Serialization", "malformed reply: expected {Ok: ...} or {Err: ...}"),
  };
}
