// The promise everything rests on, checked end to end: a seed's traceHash is the same alone, in a
// batch, in a worker and in fresh processes with other time zones and locales, for a simulation
// that reads time and randomness through references a dependency captured at load, Intl and Date.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runFile, type SimulationBuilder } from "../../src/index.ts";

const fixture = new URL("./fixtures/captures.sim.ts", import.meta.url);
const SEEDS = [7, 8, 9];

const hashes = (report: { seeds: readonly { seed: number; traceHash: string; error?: string }[] }) => {
  for (const s of report.seeds) expect(s.error ?? "ok").toBe("ok");
  return Object.fromEntries(report.seeds.map((s) => [String(s.seed), s.traceHash]));
};

function freshProcess(env: Record<string, string>): Record<string, string> {
  const script = fileURLToPath(new URL("./fixtures/print-file-hashes.ts", import.meta.url));
  const out = execFileSync(
    process.execPath,
    [
      "--conditions=@moonpool/source",
      "--import",
      "tsx",
      script,
      fileURLToPath(fixture),
      ...SEEDS.map(String),
    ],
    { encoding: "utf8", env: { ...process.env, ...env } },
  );
  return JSON.parse(out) as Record<string, string>;
}

describe("a seed is a pure function of the simulation and its seed", () => {
  it("alone, in a batch, in a worker and in fresh processes under other time zones and locales", async () => {
    const { default: build } = (await import(fixture.href)) as { default: () => SimulationBuilder };
    const batch = hashes(await build().seeds(SEEDS).run());
    expect(new Set(Object.values(batch)).size).toBe(SEEDS.length);
    const alone: Record<string, string> = {};
    for (const seed of [...SEEDS].reverse()) Object.assign(alone, hashes(await build().seeds([seed]).run()));
    expect(alone).toEqual(batch);
    expect(hashes(await runFile(fixture, { seeds: SEEDS, logSeeds: false }))).toEqual(batch);
    expect(freshProcess({ TZ: "Asia/Tokyo", LANG: "ja_JP.UTF-8", LC_ALL: "ja_JP.UTF-8" })).toEqual(batch);
    expect(freshProcess({ TZ: "America/Los_Angeles", LANG: "de_DE.UTF-8", LC_ALL: "de_DE.UTF-8" })).toEqual(
      batch,
    );
  }, 120_000);
});
