import { isIPv4, isIPv6 } from "node:net";
import { InvalidArgumentError } from "./errors.ts";

/**
 * An IP address and port, with moonpool's flags. Displayed as `a.b.c.d:port` or `[v6]:port`;
 * peers and the failure monitor key on that string.
 *
 * @example
 * ```ts
 * const a = NetworkAddress.parse("10.0.1.1:4500");
 * a.toString(); // "10.0.1.1:4500"
 * NetworkAddress.parse("[::1]:80").ip; // "::1"
 * ```
 */
export class NetworkAddress {
  static readonly FLAG_TLS = 1;
  static readonly FLAG_PUBLIC = 2;

  readonly ip: string;
  readonly port: number;
  readonly flags: number;
  constructor(ip: string, port: number, flags = 0) {
    this.ip = ip;
    this.port = port;
    this.flags = flags;
    if (!isIPv4(ip) && !isIPv6(ip))
      throw new InvalidArgumentError("address", `not an IP address: ${JSON.stringify(ip)}`);
    checkPort(port, ip);
    if (!Number.isInteger(flags) || flags < 0 || flags > 0xffff) {
      throw new InvalidArgumentError("address flags", `expected a u16, got ${flags}`);
    }
  }

  /** Parses `ip:port` or `[v6]:port`; throws `InvalidArgumentError` naming the bad part. */
  static parse(text: string): NetworkAddress {
    const { ip, port } = splitHostPort(text);
    return new NetworkAddress(ip, port);
  }

  get isIPv6(): boolean {
    return isIPv6(this.ip);
  }

  equals(other: NetworkAddress): boolean {
    return this.ip === other.ip && this.port === other.port && this.flags === other.flags;
  }

  toString(): string {
    return this.isIPv6 ? `[${this.ip}]:${this.port}` : `${this.ip}:${this.port}`;
  }

  /** serde layout: `{ ip, port, flags }`. */
  toJSON(): { ip: string; port: number; flags: number } {
    return { ip: this.ip, port: this.port, flags: this.flags };
  }
}

function checkPort(port: number, where: string): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(
      "port",
      `expected an integer in [0, 65535], got ${String(port)} (${where})`,
    );
  }
}

/**
 * Splits `host:port` / `[v6]:port` into its parts, validating the port. The host is returned
 * as written (it may be a name); use `NetworkAddress.parse` when it must be an IP.
 */
export function splitHostPort(text: string): { ip: string; port: number } {
  if (typeof text !== "string")
    throw new InvalidArgumentError("address", `expected a string, got ${typeof text}`);
  let host: string;
  let portText: string;
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    if (end < 0 || text[end + 1] !== ":") {
      throw new InvalidArgumentError("address", `expected "[v6]:port", got ${JSON.stringify(text)}`);
    }
    host = text.slice(1, end);
    portText = text.slice(end + 2);
  } else {
    const colon = text.lastIndexOf(":");
    if (colon <= 0 || text.indexOf(":") !== colon) {
      throw new InvalidArgumentError("address", `expected "ip:port", got ${JSON.stringify(text)}`);
    }
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
  }
  if (!/^\d{1,5}$/.test(portText)) {
    throw new InvalidArgumentError(
      "port",
      `expected digits, got ${JSON.stringify(portText)} in ${JSON.stringify(text)}`,
    );
  }
  const port = Number(portText);
  checkPort(port, text);
  return { ip: host, port };
}
