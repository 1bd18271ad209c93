import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CodegenError, readDeclarations } from "../src/index.ts";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const cwd = fileURLToPath(new URL(".", import.meta.url));

describe("readDeclarations", () => {
  it("reads a @service interface, its methods in order and the message types it uses", () => {
    const [file] = readDeclarations([fixture("counter.ts")], { cwd });
    expect(file?.services.map((s) => s.name)).toEqual(["Counter"]);
    const svc = file?.services[0];
    expect(svc?.methods.map((m) => m.name)).toEqual(["add", "get"]);
    expect(svc?.methods[1]?.response).toEqual({ kind: "bigint", format: "u64" });
    const names = file?.types.map((t) => t.name);
    expect(names).toContain("AddRequest");
    expect(names).toContain("AddResponse");
    const req = file?.types.find((t) => t.name === "AddRequest");
    expect(req?.type.kind).toBe("object");
    if (req?.type.kind !== "object") return;
    const amount = req.type.fields.find((f) => f.name === "amount");
    expect(amount?.type).toEqual({ kind: "number", format: "u32" });
    const tags = req.type.fields.find((f) => f.name === "tags");
    expect(tags?.optional).toBe(true);
    expect(tags?.type).toEqual({ kind: "array", item: { kind: "string" } });
  });

  it("rejects a function-typed field with file:line:column and a reason", () => {
    let caught: unknown;
    try {
      readDeclarations([fixture("bad.ts")], { cwd });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CodegenError);
    const err = caught as CodegenError;
    expect(err.diagnostics.length).toBeGreaterThan(0);
    const d = err.diagnostics[0];
    expect(d?.file).toBe("fixtures/bad.ts");
    expect(d?.line).toBe(2);
    expect(err.message).toMatch(/^fixtures\/bad\.ts:2:\d+: /);
  });
});
