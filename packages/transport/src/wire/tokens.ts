import { UID, WellKnownToken } from "@moonpool/core";

/** Liveness probe; answered by the peer itself, never delivered to the application. */
export const PING_TOKEN = UID.wellKnown(WellKnownToken.Ping);
/** Answer to a ping: `UID(2^64 - 2, 0)`, deliberately not a well-known UID. */
export const PONG_TOKEN = new UID((1n << 64n) - 2n, 0n);
/** "No such endpoint here": the payload is the missing token (16 bytes, first LE, second LE). */
export const ENDPOINT_NOT_FOUND_TOKEN = UID.wellKnown(WellKnownToken.EndpointNotFound);
