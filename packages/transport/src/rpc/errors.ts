import type { UID } from "@moonpool/core";

/** Base of every error an RPC call can reject with. */
export abstract class RpcError extends Error {
  abstract readonly kind: string;
  /** True when the request may or may not have been processed (retrying may duplicate it). */
  isMaybeDelivered(): boolean {
    return false;
  }
}

/**
 * The kinds of {@link ReplyError}. The first seven travel on the wire as moonpool's `ReplyError`;
 * `ReplyTooLarge` travels too (a TypeScript extension: a Rust peer reads it as a bad reply);
 * `Cancelled` never does.
 */
export type ReplyErrorKind =
  | "BrokenPromise"
  | "Application"
  | "ConnectionFailed"
  | "Timeout"
  | "Serialization"
  | "EndpointNotFound"
  | "MaybeDelivered"
  | "ReplyTooLarge"
  | "Cancelled";

/** serde layout of moonpool's `ReplyError` (unit variants are strings). */
export type WireReplyError =
  | "BrokenPromise"
  | "ConnectionFailed"
  | "Timeout"
  | "EndpointNotFound"
  | "MaybeDelivered"
  | { Application: { message: string } }
  | { Serialization: { message: string } }
  | { ReplyTooLarge: { message: string } };

/** Kinds that travel as `{ Kind: { message } }`. */
const WITH_MESSAGE: ReadonlySet<string> = new Set(["Application", "Serialization", "ReplyTooLarge"]);

const DESCRIPTIONS: Record<ReplyErrorKind, string> = {
  BrokenPromise: "broken promise: the server dropped the request without replying",
  Application: "application error",
  ConnectionFailed: "connection failed",
  Timeout: "request timed out",
  Serialization: "serialization error",
  EndpointNotFound: "endpoint not found",
  MaybeDelivered: "request maybe delivered: the connection or endpoint failed before a reply",
  ReplyTooLarge: "reply too large: the server ran the request but its reply exceeds the frame cap",
  Cancelled: "request cancelled",
};

/**
 * The outcome of a request that did not produce a value: sent by the server (BrokenPromise,
 * Application, Serialization, ReplyTooLarge) or produced locally (MaybeDelivered, Timeout, Cancelled,
 * EndpointNotFound, ConnectionFailed).
 */
export class ReplyError extends RpcError {
  override readonly name = "ReplyError";
  readonly kind: ReplyErrorKind;
  /** The server's message for `Application` / `Serialization` / `ReplyTooLarge`. */
  readonly detail: string | undefined;

  constructor(kind: ReplyErrorKind, detail?: string, options?: { cause?: unknown }) {
    super(detail === undefined ? DESCRIPTIONS[kind] : `${DESCRIPTIONS[kind]}: ${detail}`, options);
    this.kind = kind;
    this.detail = detail;
  }

  static application(message: string): ReplyError {
    return new ReplyError("Application", message);
  }

  override isMaybeDelivered(): boolean {
    return this.kind === "MaybeDelivered";
  }

  /** The serde layout. `Cancelled` never travels: it is sent as `ConnectionFailed`. */
  toWire(): WireReplyError {
    switch (this.kind) {
      case "Application":
        return { Application: { message: this.detail ?? "" } };
      case "Serialization":
        return { Serialization: { message: this.detail ?? "" } };
      case "ReplyTooLarge":
        return { ReplyTooLarge: { message: this.detail ?? "" } };
      case "Cancelled":
        return "ConnectionFailed";
      default:
        return this.kind;
    }
  }

  /** Parses the serde layout; `null` when `value` is not one. */
  static fromWire(value: unknown): ReplyError | null {
    if (typeof value === "string") {
      return value in DESCRIPTIONS && !WITH_MESSAGE.has(value) && value !== "Cancelled"
        ? new ReplyError(value as ReplyErrorKind)
        : null;
    }
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length !== 1) return null;
      const kind = keys[0]!;
      const body = (value as Record<string, unknown>)[kind] as { message?: unknown } | null;
      if (WITH_MESSAGE.has(kind) && body && typeof body.message === "string") {
        return new ReplyError(kind as ReplyErrorKind, body.message);
      }
    }
    return null;
  }
}

/** Kinds of {@link MessagingError}: failures on the sending side, before any reply. */
export type MessagingErrorKind =
  | "EndpointNotFound"
  | "SerializationFailed"
  | "DeserializationFailed"
  | "PeerError"
  | "InvalidWellKnownToken"
  | "InvalidState"
  | "NetworkError"
  | "MissingLocalAddress";

/** A message could not be sent (moonpool's `MessagingError`). */
export class MessagingError extends RpcError {
  override readonly name = "MessagingError";
  readonly kind: MessagingErrorKind;
  /** The missing token for `EndpointNotFound`. */
  readonly token: UID | undefined;

  constructor(kind: MessagingErrorKind, message: string, options?: { cause?: unknown; token?: UID }) {
    super(`${kind}: ${message}`, options);
    this.kind = kind;
    this.token = options?.token;
  }
}

/** `true` when `error` says the request may have been processed (see `RpcError.isMaybeDelivered`). */
export function isMaybeDelivered(error: unknown): boolean {
  return error instanceof RpcError && error.isMaybeDelivered();
}
