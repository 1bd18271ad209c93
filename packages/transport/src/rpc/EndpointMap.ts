import type { UID } from "@moonpool/core";
import { WELL_KNOWN_RESERVED_COUNT } from "@moonpool/core";
import { MessagingError } from "./errors.ts";

/** Something that accepts the payloads sent to one token (synchronously). */
export interface MessageReceiver {
  receive(payload: Uint8Array): void;
}

/**
 * Token → receiver: an array slot per well-known index (`first == 2^64 - 1`, index < 64) plus a
 * map for every other token. Well-known slots cannot be removed, only replaced.
 */
export class EndpointMap {
  readonly #wellKnown: (MessageReceiver | undefined)[] = new Array(WELL_KNOWN_RESERVED_COUNT);
  readonly #dynamic = new Map<string, MessageReceiver>();
  registrations = 0;
  deregistrations = 0;

  insertWellKnown(index: number, receiver: MessageReceiver): void {
    if (!Number.isInteger(index) || index < 0 || index >= WELL_KNOWN_RESERVED_COUNT) {
      throw new MessagingError(
        "InvalidWellKnownToken",
        `well-known index ${index} is outside [0, ${WELL_KNOWN_RESERVED_COUNT})`,
      );
    }
    this.#wellKnown[index] = receiver;
    this.registrations++;
  }

  /** Registers `receiver` at `token` (a well-known token goes to its slot), replacing any other. */
  insert(token: UID, receiver: MessageReceiver): void {
    if (token.isWellKnown()) {
      this.insertWellKnown(Number(token.second < 1n << 32n ? token.second : -1n), receiver);
      return;
    }
    this.#dynamic.set(token.toString(), receiver);
    this.registrations++;
  }

  get(token: UID): MessageReceiver | undefined {
    if (token.isWellKnown()) {
      return token.second < BigInt(WELL_KNOWN_RESERVED_COUNT)
        ? this.#wellKnown[Number(token.second)]
        : undefined;
    }
    return this.#dynamic.get(token.toString());
  }

  /** Removes a dynamic registration (only if it is still `receiver`, when given). No-op for well-known tokens. */
  remove(token: UID, receiver?: MessageReceiver): boolean {
    if (token.isWellKnown()) return false;
    const key = token.toString();
    const current = this.#dynamic.get(key);
    if (!current || (receiver && current !== receiver)) return false;
    this.#dynamic.delete(key);
    this.deregistrations++;
    return true;
  }

  get dynamicCount(): number {
    return this.#dynamic.size;
  }
}
