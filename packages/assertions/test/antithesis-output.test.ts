import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ANTITHESIS_OUTPUT_VAR,
  always,
  reachable,
  registerAssertion,
  resetAssertions,
  sometimes,
  sometimesEach,
  sometimesGreaterThan,
  unreachable,
} from "@moonpool/assertions";
import { afterEach, describe, expect, it } from "vitest";
import { freshWorld } from "./helpers.ts";

let dir: string | undefined;
afterEach(() => {
  delete process.env[ANTITHESIS_OUTPUT_VAR];
  resetAssertions(); // re-reads the (now unset) variable: output off again
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function lines(path: string): Record<string, any>[] {
  return readFileSync(path, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
}

describe("Antithesis SDK local output", () => {
  it("appends declarations and first pass / first fail evaluations as JSON lines", () => {
    dir = mkdtempSync(join(tmpdir(), "moonpool-assertions-"));
    const path = join(dir, "sdk.jsonl");
    process.env[ANTITHESIS_OUTPUT_VAR] = path;
    freshWorld();
    registerAssertion("reachable", "declared only");
    for (let i = 0; i < 3; i++) {
      always(i !== 1, "alw", { i, big: 12n });
      sometimes(i === 2, "som");
    }
    reachable("reached");
    unreachable("bad");
    sometimesGreaterThan(1, 0, "num");
    sometimesGreaterThan(5, 0, "num");
    sometimesEach("each", { k: 1 }, { q: 2 });

    const out = lines(path);
    expect(out[0]).toEqual({
      antithesis_sdk: {
        language: { name: "JavaScript" },
        sdk_version: "moonpool-assertions",
        protocol_version: "1.1.0",
      },
    });
    const asserts = out.filter((l) => "antithesis_assert" in l).map((l) => l.antithesis_assert);
    const loc = { class: "", function: "", file: "", begin_line: 0, begin_column: 0 };
    expect(asserts[0]).toEqual({
      id: "declared only",
      message: "declared only",
      location: loc,
      assert_type: "reachability",
      must_hit: true,
      display_type: "Reachable",
      hit: false,
      condition: false,
      details: null,
    });
    const summary = asserts.slice(1).map((a) => [a.id, a.assert_type, a.display_type, a.hit, a.condition]);
    expect(summary).toEqual([
      ["alw", "always", "Always", true, true],
      ["som", "sometimes", "Sometimes", true, false],
      ["alw", "always", "Always", true, false],
      ["som", "sometimes", "Sometimes", true, true],
      ["reached", "reachability", "Reachable", true, true],
      ["bad", "reachability", "Unreachable", true, false], // the SDK writes a reached unreachable as condition false
      ["num", "sometimes", "Sometimes", true, true],
      ["each", "sometimes", "Sometimes", true, true],
      ["each [k=1]", "sometimes", "Sometimes", true, true],
    ]);
    expect(asserts.find((a) => a.id === "alw" && !a.condition).details).toEqual({ i: 1, big: "12" });
    const guidance = out.filter((l) => "antithesis_guidance" in l).map((l) => l.antithesis_guidance);
    expect(guidance.map((g) => [g.id, g.guidance_type, g.maximize, g.guidance_data])).toEqual([
      ["num", "numeric", true, { left: 1, right: 0 }],
      ["num", "numeric", true, { left: 5, right: 0 }],
    ]);
  });

  it("reads the variable lazily: set after load it takes effect at the next reset; unset, output stops", () => {
    dir = mkdtempSync(join(tmpdir(), "moonpool-assertions-"));
    const path = join(dir, "later.jsonl");
    freshWorld();
    always(true, "before");
    process.env[ANTITHESIS_OUTPUT_VAR] = path;
    resetAssertions();
    always(true, "during");
    delete process.env[ANTITHESIS_OUTPUT_VAR];
    resetAssertions();
    always(true, "after");
    const ids = lines(path)
      .filter((l) => "antithesis_assert" in l)
      .map((l) => l.antithesis_assert.id);
    expect(ids).toEqual(["during"]);
  });

  it("reports an unusable path as a problem instead of throwing", async () => {
    process.env[ANTITHESIS_OUTPUT_VAR] = "/nonexistent-dir/for/sure/sdk.jsonl";
    const rec = freshWorld();
    expect(() => always(true, "still fine")).not.toThrow();
    const { validateAssertionContracts } = await import("@moonpool/assertions");
    expect(validateAssertionContracts().problems.join("\n")).toMatch(
      /ANTITHESIS_SDK_LOCAL_OUTPUT=.*cannot open/,
    );
    expect(rec.log.join("\n")).toMatch(/cannot open/);
  });
});
