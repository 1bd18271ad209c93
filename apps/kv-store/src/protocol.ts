// The wire protocol between clients and replicas: two RPCs of a majority-quorum register
// (Attiya, Bar-Noy and Dolev's ABD algorithm), one register per key. A replica only ever keeps
// the version with the highest timestamp it has seen for each key; all the coordination lives in
// the client (see client.ts). `KvReplica` is a declaration: `pnpm codegen` generates its
// transport definition, validators and client/server helpers into protocol.service.ts.

/**
 * Orders the writes of one key: a counter first, the writer's unique id to break ties, so two
 * writers never produce the same timestamp.
 */
export interface Timestamp {
  readonly n: number;
  readonly w: string;
}

/** The timestamp of a key that was never written. */
export const ZERO: Timestamp = { n: 0, w: "" };

/** A key's value at a timestamp; `value: null` with `ZERO` for a key never written. */
export interface Versioned {
  readonly ts: Timestamp;
  readonly value: string | null;
}

/** `< 0`, `0` or `> 0` as `a` orders before, equal to or after `b`. */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  if (a.n !== b.n) return a.n - b.n;
  return a.w < b.w ? -1 : a.w > b.w ? 1 : 0;
}

/** The RPC interface every replica serves. @service */
export interface KvReplica {
  /** The replica's current version of `key`. */
  query(req: { key: string }): Promise<Versioned>;
  /** Adopt `version` for `key` if it is newer than what the replica has; durable once answered. */
  store(req: { key: string; version: Versioned }): Promise<{ ok: true }>;
}

/** Well-known token id of the replica interface. */
export const KV_REPLICA_ID = 20;
