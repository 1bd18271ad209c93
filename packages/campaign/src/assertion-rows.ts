/**
 * Folding the assertion tables of several jobs (or shards) into the table one run gives: counts
 * of each assertion (by message and kind) added, its status recomputed, in the order
 * `@moonpool/assertions` reports them (failures, misses, passes; each by message).
 *
 * @example
 * ```ts
 * import { mergeAssertionRows } from "@moonpool/campaign";
 * const rows = mergeAssertionRows([
 *   [{ message: "leader elected", kind: "sometimes", pass: 0, fail: 3, status: "miss" }],
 *   [{ message: "leader elected", kind: "sometimes", pass: 1, fail: 2, status: "pass" }],
 * ]);
 * console.log(rows[0]?.status); // "pass"
 * ```
 */
import { type AssertionKind, assertionStatus } from "@moonpool/assertions";
import type { AssertionRow } from "@moonpool/sim";

/** The merged table of `tables`. */
export function mergeAssertionRows(tables: readonly (readonly AssertionRow[])[]): AssertionRow[] {
  const rows = new Map<string, { message: string; kind: string; pass: number; fail: number }>();
  for (const table of tables) {
    for (const r of table) {
      const key = `${r.kind}\u0000${r.message}`;
      const row = rows.get(key);
      if (row) {
        row.pass += r.pass;
        row.fail += r.fail;
      } else rows.set(key, { message: r.message, kind: r.kind, pass: r.pass, fail: r.fail });
    }
  }
  const order = { fail: 0, miss: 1, pass: 2 } as const;
  return [...rows.values()]
    .map((r) => ({ ...r, status: assertionStatus(r.kind as AssertionKind, r.pass, r.fail) }))
    .sort(
      (a, b) =>
        order[a.status] - order[b.status] || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
    );
}
