// Values for a TypeModel that are mostly valid, with seeded mutations: any node may be swapped for
// a wrong-typed, out-of-range or hostile value, objects may gain unknown or prototype-like keys, and
// arrays, strings and nesting grow past small limits. Drives the fast-path equivalence test.
import { Endpoint, NetworkAddress, UID } from "@moonpool/core";
import { INT_RANGES } from "../../src/internal/typeFacts.ts";
import type { TypeModel } from "../../src/model.ts";
import { I64_MAX, I64_MIN, U64_MAX } from "../../src/runtime/index.ts";

/** A small seeded generator (mulberry32), so a failing fast-check seed replays exactly. */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  next(): number {
    this.#s = (this.#s + 0x6d2b79f5) >>> 0;
    let t = this.#s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hiExclusive: number): number {
    return lo + Math.floor(this.next() * (hiExclusive - lo));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length)]!;
  }
}

/** An object with an own key that `{...}` literals and assignment cannot create. */
function withOwn(base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const o = { ...base };
  Object.defineProperty(o, key, { value, enumerable: true, configurable: true, writable: true });
  return o;
}

const JUNK: readonly (() => unknown)[] = [
  () => undefined,
  () => null,
  () => "",
  () => "wrong",
  () => "x".repeat(12),
  () => 0,
  () => -1,
  () => 1.5,
  () => -0,
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => 256,
  () => -129,
  () => 65536,
  () => 2 ** 32,
  () => -(2 ** 31) - 1,
  () => 2 ** 53 + 2,
  () => 0n,
  () => -1n,
  () => U64_MAX + 1n,
  () => I64_MIN - 1n,
  () => true,
  () => [],
  () => [1, "a"],
  () => ({}),
  () => ({ a: 1 }),
  () => Object.create(null),
  () => withOwn({}, "__proto__", { polluted: true }),
  () => new Uint8Array(7),
  () => new UID(1n, 2n),
];

/** Draws one value for `t`; `env` resolves refs; `p` is the chance of a mutation at each node. */
export function sample(
  t: TypeModel,
  env: ReadonlyMap<string, TypeModel>,
  r: Rng,
  p: number,
  depth = 0,
): unknown {
  if (r.chance(p)) return r.pick(JUNK)();
  const deep = depth > 5;
  const next = (u: TypeModel) => sample(u, env, r, p, depth + 1);
  switch (t.kind) {
    case "string":
      return "s".repeat(r.int(0, 8));
    case "boolean":
      return r.chance(0.5);
    case "null":
      return null;
    case "void":
      return r.chance(0.5) ? undefined : null;
    case "literal":
      return t.value;
    case "enum":
      return r.pick(t.values);
    case "number":
      if (t.format === "f64" || t.format === "f32") return r.pick([0, 1.5, -2, 1e300, -0]);
      return r.pick([...INT_RANGES[t.format], 7]);
    case "bigint":
      return t.format === "u64" ? r.pick([0n, 42n, U64_MAX]) : r.pick([I64_MIN, -5n, I64_MAX]);
    case "array":
      return Array.from({ length: deep ? 0 : r.int(0, 5) }, () => next(t.item));
    case "tuple":
      return t.items.map(next);
    case "object":
    case "union": {
      const variant = t.kind === "union" ? r.pick(t.variants) : undefined;
      const fields = t.kind === "object" ? t.fields : variant!.fields;
      let o: Record<string, unknown> = {};
      if (t.kind === "union") o[t.tag] = r.chance(0.05) ? "no-such-variant" : variant!.tag;
      for (const f of fields) {
        if (f.optional && (deep || r.chance(0.4))) continue;
        if (f.optional && r.chance(0.1)) o[f.name] = undefined;
        else o[f.name] = next(f.type);
      }
      if (r.chance(0.1)) o.unknownField = 1;
      if (r.chance(0.03)) o = withOwn(o, "__proto__", 1);
      return o;
    }
    case "record": {
      let o: Record<string, unknown> = {};
      for (let i = deep ? 0 : r.int(0, 4); i > 0; i--)
        o[r.pick(["k", "a b", "toString", `k${i}`])] = next(t.value);
      if (r.chance(0.05)) o = withOwn(o, r.pick(["__proto__", "constructor", "prototype"]), next(t.value));
      return o;
    }
    case "nullable":
      return deep || r.chance(0.3) ? null : sample(t.inner, env, r, p, depth);
    case "ref": {
      const named = env.get(t.name);
      if (named === undefined) throw new Error(`unknown type ${t.name}`);
      return sample(named, env, r, p, depth);
    }
    case "bytes":
      return new Uint8Array(r.int(0, 6));
    case "uid":
      return new UID(r.pick([0n, U64_MAX]), 7n);
    case "address":
      return new NetworkAddress("10.0.0.1", 4500);
    case "endpoint":
      return new Endpoint(new NetworkAddress("10.0.0.1", 4500), new UID(1n, 2n));
    case "service":
      return {
        address: { ip: "10.0.0.1", port: next({ kind: "number", format: "u16" }), flags: 0 },
        base_token: { first: next({ kind: "bigint", format: "u64" }), second: 3n },
      };
  }
}
