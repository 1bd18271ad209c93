// Address handling of the simulated network: `ip:port` strings parsed with core's
// splitHostPort, loopback and wildcard hosts mapped onto the actor's own IP.

import { isIP } from "node:net";
import { InvalidArgumentError, NetworkError, splitHostPort } from "@moonpool/core";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
const WILDCARD = new Set(["0.0.0.0", "::"]);

/** A parsed address as seen from one host. */
export interface ResolvedAddress {
  /** The simulated host the address designates (loopback and wildcard resolve to `selfIp`). */
  readonly hostIp: string;
  readonly port: number;
  /** The host part as written (kept for display: a loopback socket shows 127.0.0.1). */
  readonly shownHost: string;
}

/**
 * Parses `text` relative to the actor at `selfIp`. Malformed text throws `InvalidArgumentError`
 * naming `argument`; a host name other than localhost is rejected the same way (the simulated
 * network has no DNS).
 */
export function resolveAddress(text: string, selfIp: string, argument: string): ResolvedAddress {
  let parts: { ip: string; port: number };
  try {
    parts = splitHostPort(text);
  } catch (error) {
    if (error instanceof InvalidArgumentError) {
      throw new InvalidArgumentError(argument, error.message.replace(/^invalid \w+: /, ""));
    }
    throw error;
  }
  const host = parts.ip;
  if (LOOPBACK.has(host) || WILDCARD.has(host)) {
    return { hostIp: selfIp, port: parts.port, shownHost: host === "localhost" ? "127.0.0.1" : host };
  }
  if (isIP(host) === 0) {
    throw new InvalidArgumentError(
      argument,
      `expected an IP address (no DNS in simulation), got ${JSON.stringify(text)}`,
    );
  }
  return { hostIp: host, port: parts.port, shownHost: host };
}

/** `ip:port`, bracketing IPv6 hosts. */
export function formatAddress(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Throws EADDRNOTAVAIL unless the actor at `selfIp` may bind `address`. */
export function checkBindable(address: ResolvedAddress, selfIp: string, text: string): void {
  if (address.hostIp !== selfIp) {
    throw new NetworkError("EADDRNOTAVAIL", `cannot bind an address of another host from ${selfIp}`, text);
  }
}
