import { describe, expect, it } from "vitest";
import { emitModule } from "../src/index.ts";
import type { FileModel } from "../src/model.ts";

const named = (name: string) => ({
  name,
  type: {
    kind: "object",
    fields: [{ name: "n", wireName: "n", optional: false, type: { kind: "string" } }],
  } as const,
  file: "/p/api.ts",
  location: { file: "api.ts", line: 1, column: 1 },
  doc: undefined,
});

describe("emitModule", () => {
  it("imports the service declaration only when a method type is declared inline", () => {
    const model = (response: FileModel["services"][0]["methods"][0]["response"]): FileModel => ({
      file: "/p/api.ts",
      types: [named("Req"), named("Resp")],
      services: [
        {
          name: "Api",
          methods: [{ name: "call", request: { kind: "ref", name: "Req" }, response, doc: undefined }],
          file: "/p/api.ts",
          location: { file: "api.ts", line: 1, column: 1 },
          doc: undefined,
        },
      ],
    });
    const allNamed = emitModule(model({ kind: "ref", name: "Resp" }), { outFile: "/p/api.service.ts" });
    expect(allNamed).not.toContain("ApiDeclaration");
    expect(allNamed).toContain('import type { Req, Resp } from "./api.ts";');
    const inline = emitModule(model({ kind: "string" }), { outFile: "/p/api.service.ts" });
    expect(inline).toContain('import type { Api as ApiDeclaration, Req, Resp } from "./api.ts";');
    expect(inline).toContain('export type ApiCallResponse = Awaited<ReturnType<ApiDeclaration["call"]>>;');
  });
});
