// sometimesEach bucket lookup. A bucket's identity is its canonical label (keys sorted by name,
// `name=value` joined by ", "), but building that string on every call is the expensive part
// of a hot sometimesEach. So each thread keeps, per site, a cache from a hash of the key values
// to the buckets already seen; a hit compares the values and skips the label entirely. Only a
// miss builds the label and goes to the shared table.

import type { AssertionTable } from "../table.ts";

/** Result of {@link lookupBucket}; `index` is -1 when the bucket table is full. */
export interface BucketHit {
  index: number;
  created: boolean;
  label: string;
}

interface CachedBucket {
  values: unknown[];
  index: number;
  label: string;
}

interface SiteCache {
  /** The key names of the cached shape, in Object.keys order. */
  names: string[];
  byHash: Map<number, CachedBucket[]>;
}

let cacheTable: AssertionTable | null = null;
let cacheGeneration = -1;
const sites = new Map<number, SiteCache>();
/** Bound on cached buckets per site, so a site with unbounded key values cannot grow memory. */
const MAX_CACHED_PER_SITE = 65_536;

function valueText(v: unknown): string {
  switch (typeof v) {
    case "number":
    case "bigint":
    case "boolean":
      return String(v);
    case "string":
      return JSON.stringify(v);
    default:
      try {
        return JSON.stringify(v) ?? String(v);
      } catch {
        return "?";
      }
  }
}

/** Canonical bucket identity: keys sorted by name, `name=value` joined by ", ". */
export function bucketLabel(keys: unknown): string {
  if (keys === null || typeof keys !== "object") return "";
  const record = keys as Record<string, unknown>;
  const names = Object.keys(record);
  if (names.length > 1) names.sort();
  let label = "";
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    label += `${i === 0 ? "" : ", "}${name}=${valueText(record[name])}`;
  }
  return label;
}

function valueHash(v: unknown): number {
  if (typeof v === "number") {
    // Integers (the common case) hash by value; others by their text (rare).
    if (Number.isInteger(v)) return (v | 0) ^ ((v / 4294967296) | 0);
    return stringHash(String(v));
  }
  return typeof v === "string" ? stringHash(v) : 0;
}

function stringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The bucket of `keys` at `site`, creating it in the table on first use. */
export function lookupBucket(t: AssertionTable, site: number, keys: unknown): BucketHit {
  if (keys === null || typeof keys !== "object") {
    const found = t.bucketFor(site, "");
    return { index: found.index, created: found.created, label: "" };
  }
  if (cacheTable !== t || cacheGeneration !== t.generation) {
    cacheTable = t;
    cacheGeneration = t.generation;
    sites.clear();
  }
  const record = keys as Record<string, unknown>;
  const names = Object.keys(record);
  let site$ = sites.get(site);
  if (site$ === undefined || !sameNames(site$.names, names)) {
    // First call, or the site changed shape: start a cache for this shape.
    site$ = { names, byHash: new Map() };
    sites.set(site, site$);
  }
  let h = 0x9e3779b9;
  for (let i = 0; i < names.length; i++) h = Math.imul(h ^ valueHash(record[names[i]!]), 0x85ebca6b);
  const list = site$.byHash.get(h);
  if (list !== undefined) {
    for (let j = 0; j < list.length; j++) {
      const c = list[j]!;
      let same = true;
      for (let i = 0; i < names.length; i++) {
        if (c.values[i] !== record[names[i]!]) {
          same = false;
          break;
        }
      }
      if (same) return { index: c.index, created: false, label: c.label };
    }
  }
  const label = bucketLabel(record);
  const found = t.bucketFor(site, label);
  if (found.index >= 0 && site$.byHash.size < MAX_CACHED_PER_SITE) {
    const entry: CachedBucket = { values: names.map((n) => record[n]), index: found.index, label };
    if (list === undefined) site$.byHash.set(h, [entry]);
    else list.push(entry);
  }
  return { index: found.index, created: found.created, label };
}

/** The quality vector of a `quality` record, in key order (first most significant). */
export function qualityVector(quality: unknown, tooMany: () => void): number[] | undefined {
  if (quality === null || typeof quality !== "object") return undefined;
  const record = quality as Record<string, unknown>;
  const names = Object.keys(record);
  if (names.length === 0) return undefined;
  if (names.length > 4) tooMany();
  const out = new Array<number>(names.length);
  for (let i = 0; i < names.length; i++) {
    const v = record[names[i]!];
    out[i] = typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : Number.NaN;
  }
  return out;
}
