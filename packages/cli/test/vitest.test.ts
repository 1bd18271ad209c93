import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { replayLine } from "../src/vitest.ts";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const vitestBin = join(
  createRequire(import.meta.url)
    .resolve("vitest/package.json")
    .replace(/package\.json$/, ""),
  "vitest.mjs",
);
const config = "test/vitest-fixtures/vitest.config.ts";

interface JsonResult {
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

/** Runs the fixture project in a child vitest, as a user's `npx vitest run` would. */
function vitest(args: string[], env: Record<string, string> = {}) {
  const out = mkdtempSync(join(tmpdir(), "moonpool-simtest-"));
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && !k.startsWith("MOONPOOL_")),
  );
  const r = spawnSync(
    process.execPath,
    [
      vitestBin,
      "run",
      "--config",
      config,
      "--reporter=json",
      `--outputFile.json=${join(out, "r.json")}`,
      "--reporter=junit",
      `--outputFile.junit=${join(out, "r.xml")}`,
      ...args,
    ],
    { cwd: pkg, encoding: "utf8", env: { ...clean, ...env, NO_COLOR: "1" } },
  );
  const json = JSON.parse(readFileSync(join(out, "r.json"), "utf8")) as JsonResult;
  return {
    code: r.status,
    tests: json.testResults.flatMap((f) => f.assertionResults),
    junit: readFileSync(join(out, "r.xml"), "utf8"),
  };
}

describe("simTest (in a child vitest)", () => {
  it("fails with the exact replay line; that line re-runs exactly the one seed, which fails the same way", () => {
    const all = vitest([]);
    expect(all.code).toBe(1);
    const calm = all.tests.find((t) => t.title.startsWith("calm never fails"))!;
    expect(calm.title).toBe("calm never fails (5 seeds from seed=1)");
    expect(calm.status).toBe("passed");
    const dice = all.tests.find((t) => t.title.startsWith("dice sometimes roll a zero"))!;
    expect(dice.title).toBe("dice sometimes roll a zero (20 seeds from seed=1)");
    expect(dice.status).toBe("failed");
    const message = dice.failureMessages[0]!;
    expect(message).toMatch(/\d+ of 20 seed\(s\) failed/);
    const m =
      /seed (\d+): main failed: .*rolled a zero\n +replay: (MOONPOOL_SEED=(\d+) npx vitest run (\S+) -t '(.+)')/.exec(
        message,
      )!;
    expect(m).not.toBeNull();
    expect(m[3]).toBe(m[1]);
    expect(m[4]).toBe("test/vitest-fixtures/sims.check.ts");
    // The annotation lands in the JUnit file.
    expect(XMLValidator.validate(all.junit)).toBe(true);
    expect(all.junit).toContain(`seed ${m[1]} failed; replay: MOONPOOL_SEED=${m[1]}`);
    // Run the printed line (its env var, file and -t filter).
    const one = vitest([m[4]!, "-t", m[5]!], { MOONPOOL_SEED: m[1]! });
    expect(one.code).toBe(1);
    const ran = one.tests.filter((t) => t.status !== "skipped" && t.status !== "pending");
    expect(ran.map((t) => t.title)).toEqual([`dice sometimes roll a zero (seed=${m[1]})`]);
    expect(ran[0]!.failureMessages[0]).toMatch(
      new RegExp(`^Error: 1 of 1 seed\\(s\\) failed\\n +seed ${m[1]}: main failed: .*rolled a zero`),
    );
  }, 120_000);

  it("MOONPOOL_NUM_SEEDS scales a run", () => {
    const r = vitest(["-t", "calm"], { MOONPOOL_NUM_SEEDS: "3" });
    expect(r.code).toBe(0);
    expect(r.tests.filter((t) => t.status === "passed").map((t) => t.title)).toEqual([
      "calm never fails (3 seeds from seed=1)",
    ]);
  }, 60_000);

  it("the replay line quotes what the shell would split and escapes the -t pattern", () => {
    expect(replayLine("test/a b.test.ts", "sums (a+b)", 7)).toBe(
      "MOONPOOL_SEED=7 npx vitest run 'test/a b.test.ts' -t 'sums \\(a\\+b\\)'",
    );
    expect(replayLine("t.test.ts", "x", 7, "1@2 -> 3@4")).toBe(
      "MOONPOOL_SEED=7 MOONPOOL_RECIPE='1@2 -> 3@4' npx vitest run t.test.ts -t x",
    );
  });
});
