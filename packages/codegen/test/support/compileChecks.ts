// Compiles the boolean fast path (`is_T`) and the error-collecting check (`v_T`) of a set of named
// types into callable functions, with the runtime helpers and core classes in scope, the way an
// emitted module has them. The writers' statements are plain JavaScript in value mode.
import { Endpoint, NetworkAddress, UID } from "@moonpool/core";
import { CheckWriter } from "../../src/internal/checks.ts";
import { FastCheckWriter } from "../../src/internal/fastChecks.ts";
import type { TypeModel } from "../../src/model.ts";
import * as rt from "../../src/runtime/index.ts";

export interface CompiledChecks {
  /** The fast path's verdict on `value` as a `name`. */
  fast(name: string, value: unknown, limits: rt.Limits): boolean;
  /** The errors the full check reports (paths relative to the root). */
  full(name: string, value: unknown, limits: rt.Limits): rt.Issues;
}

export function compileChecks(types: readonly { name: string; type: TypeModel }[]): CompiledChecks {
  const functions: string[] = [];
  for (const { name, type } of types) {
    const fast = new FastCheckWriter((n) => types.find((t) => t.name === n)?.type);
    fast.check(type, "v", "d");
    functions.push(`function is_${name}(v, d, o) {\n${fast.lines.join("\n")}\n  return true;\n}`);
    const full = new CheckWriter("v");
    full.check(type, "v", [], "d");
    functions.push(`function v_${name}(v, e, d, o) {\n${full.lines.join("\n")}\n}`);
  }
  const table = types.map(({ name }) => `${JSON.stringify(name)}: [is_${name}, v_${name}]`).join(", ");
  const scope = {
    bad: rt.bad,
    issue: rt.issue,
    prefix: rt.prefix,
    key: rt.key,
    isObject: rt.isObject,
    onlyKeys: rt.onlyKeys,
    U64_MAX: rt.U64_MAX,
    I64_MIN: rt.I64_MIN,
    I64_MAX: rt.I64_MAX,
    UID,
    NetworkAddress,
    Endpoint,
  };
  const source = `${functions.join("\n\n")}\nreturn { ${table} };`;
  const byName = new Function(...Object.keys(scope), source)(...Object.values(scope)) as Record<
    string,
    [
      (v: unknown, d: number, o: rt.Limits) => boolean,
      (v: unknown, e: rt.Issues, d: number, o: rt.Limits) => void,
    ]
  >;
  const pair = (name: string) => {
    const p = byName[name];
    if (p === undefined) throw new Error(`no compiled checks for ${name}`);
    return p;
  };
  return {
    fast: (name, value, limits) => pair(name)[0](value, 0, limits),
    full: (name, value, limits) => {
      const e: rt.Issues = [];
      pair(name)[1](value, e, 0, limits);
      return e;
    },
  };
}
