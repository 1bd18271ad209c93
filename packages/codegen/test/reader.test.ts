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

  it("lists every unsupported declaration with its location and reason", () => {
    let caught: unknown;
    try {
      readDeclarations([fixture("unsupported.ts")], { cwd });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CodegenError);
    const lines = (caught as CodegenError).message.split("\n").sort();
    const at = "fixtures/unsupported.ts";
    expect(lines).toEqual(
      [
        `${at}:15:6: class WithMethods is not a message type (classes carry methods): declare an interface`,
        `${at}:16:6: generic type \`Generic<string>\` cannot be resolved by the generator: declare a concrete type`,
        `${at}:18:6: TypeScript enum Color is not supported: use a union of string literals`,
        `${at}:19:6: Date has no serde JSON form: use Record<string, T>, an array or a number`,
        `${at}:20:6: \`any\` has no wire shape: give the type`,
        `${at}:21:6: \`| undefined\` is not supported: use an optional field \`x?: T\``,
        `${at}:22:6: unsupported union: use string literals, \`T | null\`, or object types sharing a string-literal tag field`,
        `${at}:23:6: Map has no serde JSON form: use Record<string, T>, an array or a number`,
        `${at}:24:3: field name "__proto__" is forbidden (prototype pollution)`,
        `${at}:29:3: method Bad.two must take exactly one request parameter (has 2)`,
        `${at}:30:19: method Bad.sync must return Promise<Response>`,
        `${at}:32:3: service Bad: method ok is declared twice (overloads are not supported)`,
        `${at}:33:3: service Bad: method name "quoted name" must be an identifier`,
        `${at}:8:18: type SelfOnly contains itself through required fields only: no finite value (make the field optional, nullable or an array)`,
      ].sort(),
    );
  });

  it("refuses inline types nested deeper than maxInlineDepth", () => {
    expect(() => readDeclarations([fixture("counter.ts")], { cwd, maxInlineDepth: 0 })).toThrow(
      /fixtures\/counter\.ts:\d+:\d+: inline types nest deeper than 0: name the inner types/,
    );
  });
});
