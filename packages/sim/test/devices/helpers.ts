// Shared helpers for the device tests.
import {
  defaultNetworkChaos,
  defaultStorageChaos,
  type NetworkChaosConfig,
  type StorageChaosConfig,
} from "@moonpool/chaos";
import type { Connection } from "@moonpool/core";

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function merge<T>(base: T, patch: DeepPartial<T> | undefined): T {
  if (patch === undefined) return base;
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    const b = (base as Record<string, unknown>)[k];
    out[k] =
      v !== null &&
      typeof v === "object" &&
      !Array.isArray(v) &&
      b !== null &&
      typeof b === "object" &&
      !("kind" in v)
        ? merge(b, v as DeepPartial<typeof b>)
        : v;
  }
  return out as T;
}

/** The default network config with `patch` applied (deeply). */
export function netConfig(patch?: DeepPartial<NetworkChaosConfig>): NetworkChaosConfig {
  return merge(defaultNetworkChaos(), patch);
}

/** The default storage config with `patch` applied (deeply). */
export function diskConfig(patch?: DeepPartial<StorageChaosConfig>): StorageChaosConfig {
  return merge(defaultStorageChaos(), patch);
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));

/** The `code` of the error `p` rejects with, or undefined when it resolves. */
export async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
  return undefined;
}

/** Reads `n` bytes; returns them and the number of read() calls it took. */
export async function readExactly(c: Connection, n: number): Promise<{ bytes: Uint8Array; reads: number }> {
  const out = new Uint8Array(n);
  let got = 0;
  let reads = 0;
  while (got < n) {
    const chunk = await c.read();
    reads += 1;
    if (chunk === null) throw new Error(`end of stream after ${got} of ${n} bytes`);
    out.set(chunk.subarray(0, Math.min(chunk.length, n - got)), got);
    got += chunk.length;
  }
  return { bytes: out, reads };
}

/** A payload of `n` deterministic bytes. */
export function payload(n: number, salt = 7): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + salt) & 0xff;
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
