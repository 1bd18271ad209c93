/**
 * The safety property of the counter cluster, checked the same way on real TCP and in
 * simulation: a node never acknowledges the same value twice.
 */
export class AckLedger {
  readonly #seen = new Map<string, Set<number>>();
  readonly #max = new Map<string, number>();
  #acks = 0;

  /** Records an acknowledged `value` from `node`; returns a violation message or null. */
  record(node: string, value: number, client: string): string | null {
    let seen = this.#seen.get(node);
    if (!seen) {
      seen = new Set();
      this.#seen.set(node, seen);
    }
    this.#acks += 1;
    if (value > (this.#max.get(node) ?? 0)) this.#max.set(node, value);
    if (seen.has(value)) {
      return `${node} acknowledged value ${value} twice (second time to ${client}): an acknowledged increment was lost`;
    }
    seen.add(value);
    return null;
  }

  /** Highest value `node` acknowledged (0 when none). */
  maxAcked(node: string): number {
    return this.#max.get(node) ?? 0;
  }

  /** Number of acknowledgements recorded. */
  get acks(): number {
    return this.#acks;
  }
}
