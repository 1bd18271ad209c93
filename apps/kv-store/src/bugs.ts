/**
 * Bugs the store can be started with, on purpose, to show the simulation finding them:
 * - `ack-before-fsync`: a replica acknowledges a store once the log record is written, and syncs
 *   it a little later (group commit gone wrong): a crash in between loses an acknowledged write.
 * - `stale-read`: a read asks one replica only (a backup read without a lease) instead of a
 *   majority, so it can miss a write that has already been acknowledged.
 * - `snapshot-no-dirsync`: log compaction writes a snapshot, renames it into place and truncates
 *   the log, but never syncs the directory: a crash can forget the rename while the truncation
 *   survives, and the compacted writes are gone.
 */
export type KvBug = "ack-before-fsync" | "stale-read" | "snapshot-no-dirsync";

/** Every bug, for `--bug` validation and tests. */
export const KV_BUGS: readonly KvBug[] = ["ack-before-fsync", "stale-read", "snapshot-no-dirsync"];

/** `value` as a bug name, or a clear error naming the argument and the choices. */
export function parseBug(value: string, argument = "--bug"): KvBug {
  if ((KV_BUGS as readonly string[]).includes(value)) return value as KvBug;
  throw new RangeError(`${argument}: unknown bug "${value}" (choose one of ${KV_BUGS.join(", ")})`);
}
