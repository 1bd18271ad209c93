// moonpool-codegen's arguments, writing, and --check (missing, stale, reordered).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../src/index.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "codegen-cli-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(argv, { cwd: dir, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const declaration = (methods: string) => `
export interface Req { n: number }
/** @service */
export interface Calc {
${methods}
}
`;
const ADD_SUB = "  add(req: Req): Promise<number>;\n  sub(req: Req): Promise<number>;";

describe("moonpool-codegen", () => {
  // Generation runs ts-morph and biome several times: slow on a loaded machine.
  it("writes <name>.service.ts beside the file, then --check passes", { timeout: 60_000 }, () => {
    writeFileSync(join(dir, "calc.ts"), declaration(ADD_SUB));
    expect(cli("calc.ts")).toMatchObject({ code: 0, out: "wrote calc.service.ts" });
    expect(readFileSync(join(dir, "calc.service.ts"), "utf8")).toContain(
      "moonpool-codegen tokens Calc: add=1 sub=2",
    );
    expect(cli("calc.ts", "--check")).toMatchObject({ code: 0 });
    expect(cli("calc.ts").out).toMatch(/nothing to do/);
  });

  it("--out DIR writes there", () => {
    writeFileSync(join(dir, "calc.ts"), declaration(ADD_SUB));
    expect(cli("calc.ts", "--out", "gen")).toMatchObject({ code: 0, out: "wrote gen/calc.service.ts" });
    expect(readFileSync(join(dir, "gen/calc.service.ts"), "utf8")).toContain('from "../calc.ts"');
  });

  it("--check exits 1 naming a missing output, then a stale one", () => {
    writeFileSync(join(dir, "calc.ts"), declaration(ADD_SUB));
    const missing = cli("calc.ts", "--check");
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^calc\.service\.ts: missing \(generate it from calc\.ts\)/);
    cli("calc.ts");
    writeFileSync(join(dir, "calc.ts"), declaration(`${ADD_SUB}\n  mul(req: Req): Promise<number>;`));
    const stale = cli("calc.ts", "--check");
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(/^calc\.service\.ts: stale \(regenerate it from calc\.ts\)/);
    expect(stale.err).not.toMatch(/token/); // appending a method keeps every token
  });

  it("--check flags a method reorder as a token change", () => {
    writeFileSync(join(dir, "calc.ts"), declaration(ADD_SUB));
    cli("calc.ts");
    writeFileSync(
      join(dir, "calc.ts"),
      declaration("  sub(req: Req): Promise<number>;\n  add(req: Req): Promise<number>;"),
    );
    const r = cli("calc.ts", "--check");
    expect(r.code).toBe(1);
    expect(r.err).toContain("calc.service.ts: method tokens changed: Calc.add moved from index 1 to 2");
    expect(r.err).toContain("Calc.sub moved from index 2 to 1");
    expect(r.err).toMatch(/a method order changed/);
  });

  it("reports an unsupported declaration with file:line:column, exit 1", () => {
    writeFileSync(
      join(dir, "bad.ts"),
      "/** @service */\nexport interface B {\n  run(req: Date): Promise<void>;\n}\n",
    );
    const r = cli("bad.ts");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^bad\.ts:3:\d+: Date has no serde JSON form/);
  });

  it.each([
    [[], /<files\.\.\.>: give at least one declaration file/],
    [["--bogus", "x.ts"], /--bogus: unknown option/],
    [["nope.ts"], /nope\.ts: no such file/],
    [["calc.ts", "--out"], /--out: expected a directory/],
    [["calc.ts", "--out", "calc.ts"], /--out: calc\.ts exists and is not a directory/],
    [["calc.service.ts"], /calc\.service\.ts: is a generated module/],
    [["notes.txt"], /notes\.txt: expected a TypeScript source file/],
    [["calc.ts", "--emit"], /--emit: expected a list of ts, json-schema, rust/],
    [["calc.ts", "--emit", "ts,python"], /--emit: unknown output "python"/],
    [["calc.ts", "--emit=ts", "--emit=rust"], /--emit: given twice/],
  ])("refuses bad arguments %j naming the argument, exit 2", (argv, message) => {
    writeFileSync(join(dir, "calc.ts"), declaration(ADD_SUB));
    writeFileSync(join(dir, "calc.service.ts"), "");
    writeFileSync(join(dir, "notes.txt"), "");
    const r = cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toContain("usage: moonpool-codegen");
  });

  it("--emit ts,json-schema,rust writes the three outputs; --check then names a stale Rust module and JSON Schema", {
    timeout: 60_000,
  }, () => {
    writeFileSync(join(dir, "calcApi.ts"), declaration(ADD_SUB));
    const r = cli("calcApi.ts", "--emit", "rust,json-schema,ts");
    expect(r).toMatchObject({ code: 0 });
    expect(r.out.split("\n")).toEqual([
      "wrote calcApi.service.ts",
      "wrote calcApi.schema.json",
      "wrote calc_api.rs",
    ]);
    expect(readFileSync(join(dir, "calc_api.rs"), "utf8")).toContain("pub trait Calc {");
    expect(JSON.parse(readFileSync(join(dir, "calcApi.schema.json"), "utf8")).$defs.Req).toEqual({
      type: "object",
      properties: { n: { type: "number" } },
      required: ["n"],
    });
    expect(cli("calcApi.ts", "--emit=ts,json-schema,rust", "--check")).toMatchObject({ code: 0 });
    // Only the default output is checked without --emit.
    writeFileSync(join(dir, "calc_api.rs"), "// edited by hand\n");
    expect(cli("calcApi.ts", "--check")).toMatchObject({ code: 0 });
    const stale = cli("calcApi.ts", "--emit", "ts,json-schema,rust", "--check");
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(/^calc_api\.rs: stale \(regenerate it from calcApi\.ts\)/);
    writeFileSync(join(dir, "calcApi.ts"), declaration(`${ADD_SUB}\n  mul(req: Req): Promise<number>;`));
    const after = cli("calcApi.ts", "--emit", "json-schema,rust", "--check");
    expect(after.err).toContain("calcApi.schema.json: stale");
    expect(after.err).toContain("calc_api.rs: stale");
  });

  it("--check names a method reorder in the Rust module too", () => {
    writeFileSync(join(dir, "calc.ts"), declaration(ADD_SUB));
    cli("calc.ts", "--emit", "rust");
    writeFileSync(
      join(dir, "calc.ts"),
      declaration("  sub(req: Req): Promise<number>;\n  add(req: Req): Promise<number>;"),
    );
    const r = cli("calc.ts", "--emit", "rust", "--check");
    expect(r.code).toBe(1);
    expect(r.err).toContain("calc.rs: method tokens changed: Calc.add moved from index 1 to 2");
  });

  it("a file without a @service interface is an error naming it", () => {
    writeFileSync(join(dir, "types.ts"), "export interface A { x: number }\n");
    const r = cli("types.ts");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^types\.ts:1:1: no exported interface tagged/);
  });
});
