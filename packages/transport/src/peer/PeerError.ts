/** A peer operation failed: it is closed, or a payload cannot be framed. */
export class PeerError extends Error {
  override readonly name = "PeerError";
  readonly code: "CLOSED" | "INVALID_OPERATION";
  constructor(code: "CLOSED" | "INVALID_OPERATION", message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
