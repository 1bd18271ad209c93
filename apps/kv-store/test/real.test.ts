import { describe, expect, it } from "vitest";
import { runOnRealTcp } from "../src/real/run.ts";

describe("kv-store on real TCP", () => {
  it("serves a load from three replica processes through a SIGKILL and restart, linearizably", async () => {
    const lines: string[] = [];
    const result = await runOnRealTcp({ durationMs: 1_500, log: (l) => lines.push(l) });
    expect(result.restarts).toBe(1);
    expect(result.ok).toBeGreaterThan(20);
    expect(result.get.count + result.put.count).toBe(result.ok);
    expect(result.verdict, result.verdict.problem).toMatchObject({ ok: true });
    expect(lines.some((l) => /replica1 restarted .* recovered \d+ keys/.test(l))).toBe(true);
  }, 60_000);
});
