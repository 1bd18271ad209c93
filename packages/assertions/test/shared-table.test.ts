import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import {
  assertionReport,
  assertionTable,
  createAssertionTable,
  installAssertionTable,
  resetAssertions,
  sometimesEachReport,
  validateAssertionContracts,
} from "@moonpool/assertions";
import { describe, expect, it } from "vitest";
import { freshWorld } from "./helpers.ts";

function runWorker(id: number, buffer: SharedArrayBuffer, rounds: number): Promise<{ violations: string[] }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./fixtures/assert-worker.mjs", import.meta.url), {
      workerData: { id, buffer, rounds, entry: fileURLToPath(new URL("../src/index.ts", import.meta.url)) },
    });
    worker.once("message", (m) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

describe("a SharedArrayBuffer table shared by worker threads", () => {
  it("adds up the counts of two workers evaluating at the same time", async () => {
    const rec = freshWorld();
    installAssertionTable(createAssertionTable({ slots: 64, buckets: 64 }));
    resetAssertions();
    const buffer = assertionTable().buffer as SharedArrayBuffer;
    const rounds = 20_000;
    const results = await Promise.all([runWorker(1, buffer, rounds), runWorker(2, buffer, rounds)]);

    // each worker's own hook saw its own violation; the main thread's hooks saw none
    expect(results.map((r) => r.violations)).toEqual([["shared failure"], ["shared failure"]]);
    expect(rec.violations).toEqual([]);

    const byMessage = Object.fromEntries(assertionReport().map((e) => [e.message, e]));
    expect(byMessage["shared always"]).toMatchObject({ pass: 2 * rounds, fail: 0, status: "pass" });
    expect(byMessage["shared sometimes"]).toMatchObject({ pass: rounds, fail: rounds });
    expect(byMessage.bounded).toMatchObject({ pass: 2 * rounds, watermark: -1 });
    expect(byMessage["shared failure"]).toMatchObject({ fail: 2, status: "fail" });
    expect(byMessage["private to worker 1"]).toMatchObject({ pass: rounds });
    expect(byMessage["private to worker 2"]).toMatchObject({ pass: rounds });
    expect(byMessage["shared each"]).toMatchObject({ pass: 2 * rounds, buckets: 10 });

    const each = sometimesEachReport()[0]!;
    expect(each.buckets).toHaveLength(10);
    expect(each.buckets.reduce((n, b) => n + b.hits, 0)).toBe(2 * rounds);
    // best score per bucket: worker 2's scores (2000 + i) beat worker 1's; the last i per bucket wins
    for (const b of each.buckets) {
      const bucket = Number(b.label.split("=")[1]);
      expect(b.bestQuality).toEqual([2000 + rounds - 10 + bucket]);
    }
    expect(validateAssertionContracts().problems).toEqual([]);
  }, 30_000);
});
