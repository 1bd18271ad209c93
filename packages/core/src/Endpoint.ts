import { NetworkAddress } from "./NetworkAddress.ts";
import type { UID } from "./UID.ts";

/** Where a message goes: a process's address plus the token of a receiver inside it. */
export class Endpoint {
  readonly address: NetworkAddress;
  readonly token: UID;
  constructor(address: NetworkAddress, token: UID) {
    this.address = address;
    this.token = token;
  }

  /** The endpoint of method `i` of an interface whose base endpoint this is. */
  adjusted(i: number): Endpoint {
    return new Endpoint(this.address, this.token.adjusted(i));
  }

  equals(other: Endpoint): boolean {
    return this.address.equals(other.address) && this.token.equals(other.token);
  }

  toString(): string {
    return `${this.address.toString()}#${this.token.toString()}`;
  }

  /** serde layout: `{ address: { ip, port, flags }, token: { first, second } }`. */
  toJSON(): { address: ReturnType<NetworkAddress["toJSON"]>; token: ReturnType<UID["toJSON"]> } {
    return { address: this.address.toJSON(), token: this.token.toJSON() };
  }

  static parse(address: string, token: UID): Endpoint {
    return new Endpoint(NetworkAddress.parse(address), token);
  }
}
