import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

// The conformance suite is only worth something if it fails on a wrong implementation. This
// runs test/fixtures/broken-providers.fixture.ts (the real providers with one behaviour broken
// per target, each target registering only the suite that covers it) in a child vitest and
// checks that exactly the tests of each broken behaviour fail.

const PACKAGE = join(dirname(fileURLToPath(import.meta.url)), "..");
const VITEST = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");

interface JsonReport {
  testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string }[] }[];
}

it("fails exactly the tests of each deliberately broken behaviour", async () => {
  const dir = await mkdtemp(join(tmpdir(), "moonpool-conformance-detects-"));
  try {
    const outputFile = join(dir, "report.json");
    await new Promise<void>((resolve) => {
      execFile(
        process.execPath,
        [
          VITEST,
          "run",
          "--config",
          "test/fixtures/vitest.broken.config.ts",
          "--reporter=json",
          `--outputFile=${outputFile}`,
        ],
        { cwd: PACKAGE },
        () => resolve(), // exits non-zero by design; the report says what failed
      );
    });
    const report = JSON.parse(await readFile(outputFile, "utf8")) as JsonReport;
    const byTarget = new Map<string, { passed: number; failed: string[] }>();
    for (const result of report.testResults) {
      for (const t of result.assertionResults) {
        const target = t.ancestorTitles[0]!.replace("provider conformance: ", "");
        const entry = byTarget.get(target) ?? { passed: 0, failed: [] };
        if (t.status === "passed") entry.passed++;
        else entry.failed.push(t.title);
        byTarget.set(target, entry);
      }
    }
    const failed = Object.fromEntries([...byTarget].map(([target, e]) => [target, e.failed.sort()]));
    // A sleep that returns at once can still look long enough when the machine stalls for 20 ms
    // right there; the two sleep-dependent timeout/abort tests fail whatever the load.
    const sleepFailures = failed["sleep returns at once"] ?? [];
    expect(sleepFailures).toEqual(
      expect.arrayContaining([
        "an abort signal cancels sleep",
        "timeout() rejects with TimeoutError and aborts the work's signal",
      ]),
    );
    expect(sleepFailures.filter((t) => !t.includes("sleep") && !t.startsWith("timeout()"))).toEqual([]);
    delete failed["sleep returns at once"];
    expect(failed).toEqual({
      "join loses the task's error": ["join() rejects with the task's own error"],
      "bool ignores its probability": ["bool(0) is always false, bool(1) always true, bool() gives both"],
      "refused connections get the wrong code": [
        "connect() to an address nobody listens on rejects with ECONNREFUSED",
      ],
      "truncate does nothing": ["truncate shrinks and extends with zeros"],
    });
    // The rest of each suite still ran and passed: the breakages are targeted.
    for (const [target, e] of byTarget) expect(e.passed, target).toBeGreaterThan(3);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
