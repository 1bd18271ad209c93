import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { moonpool, withoutWallTimes } from "./helpers/moonpool.ts";

describe("--workers W (end to end)", () => {
  it("gives the same report and exit code for any W (results applied in seed order)", () => {
    const one = moonpool(["run", "flaky", "--iterations", "17", "--json", "--workers", "1"]);
    const three = moonpool(["run", "flaky", "--iterations", "17", "--json", "--workers", "3"]);
    expect(one.code).toBe(1);
    expect(three.code).toBe(one.code);
    const json = JSON.parse(one.stdout) as { failingSeeds: number[]; assertions: unknown[] };
    expect(json.failingSeeds.length).toBeGreaterThan(0);
    expect(json.assertions.length).toBeGreaterThan(0);
    expect(withoutWallTimes(three.stdout)).toBe(withoutWallTimes(one.stdout));
  }, 120_000);

  it("--fail-fast stops at the same seed with the same finished seeds for any W", () => {
    const cwd = fileURLToPath(new URL("./interrupt-fixtures/", import.meta.url));
    const run = (workers: string) =>
      moonpool(["run", "failing-late", "--iterations", "12", "--fail-fast", "--json", "--workers", workers], {
        cwd,
      });
    const one = run("1");
    const two = run("2");
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    const json = JSON.parse(one.stdout) as { failingSeeds: number[]; iterations: number };
    expect(json.failingSeeds).toHaveLength(1);
    expect(json.iterations).toBeLessThan(12);
    expect(withoutWallTimes(two.stdout)).toBe(withoutWallTimes(one.stdout));
  }, 120_000);

  it("--until-stable stops at the same seed for any W", () => {
    const one = moonpool(["run", "coverage-gap", "--until-stable", "3,12", "--json", "--workers", "1"]);
    const two = moonpool(["run", "coverage-gap", "--until-stable", "3,12", "--json", "--workers", "2"]);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    const seeds = (s: string) => (JSON.parse(s) as { seeds: { seed: number }[] }).seeds.map((r) => r.seed);
    expect(seeds(two.stdout)).toEqual(seeds(one.stdout));
    expect(withoutWallTimes(two.stdout)).toBe(withoutWallTimes(one.stdout));
  }, 120_000);
});
