import { InvalidArgumentError } from "@moonpool/core";
import { afterEach, describe, expect, it } from "vitest";
import { buggify, buggifyKnob, buggifySites, buggifyWithProb } from "../src/buggify.ts";
import { chaosActive } from "../src/chaos-window.ts";
import { installChaosRuntime } from "../src/runtime.ts";
import { installFakeRuntime } from "./runtime-fixture.ts";

afterEach(() => installChaosRuntime(null));

describe("buggify outside a simulation", () => {
  it("is always false and chaosActive is false", () => {
    let fired = 0;
    for (let i = 0; i < 1000; i++) {
      if (buggify("x")) fired++;
      if (buggify()) fired++;
      if (buggify`tagged`) fired++;
      if (buggifyWithProb(1, "y")) fired++;
    }
    expect(fired).toBe(0);
    expect(chaosActive()).toBe(false);
  });

  it("still validates p", () => {
    expect(() => buggifyWithProb(1.5)).toThrow(InvalidArgumentError);
    expect(() => buggifyWithProb(-0.1, "x")).toThrow(/buggifyWithProb\(p\)/);
    expect(() => buggifyWithProb(Number.NaN)).toThrow(/probability in \[0, 1\]/);
  });
});

describe("buggify inside a simulation", () => {
  it("activates about half of the sites per seed, once per seed", () => {
    let active = 0;
    const sites = 400;
    for (let s = 0; s < sites; s++) {
      const rt = installFakeRuntime(1000 + s);
      // buggifyWithProb(1): an active site fires on every call, an inactive one never does.
      const first = buggifyWithProb(1, "site");
      for (let i = 0; i < 20; i++) expect(buggifyWithProb(1, "site")).toBe(first);
      if (first) active++;
      // After the first visit an inactive site draws nothing more.
      if (!first) {
        const before = rt.rng.draws;
        buggify("site");
        expect(rt.rng.draws).toBe(before);
      }
    }
    expect(active / sites).toBeGreaterThan(0.4);
    expect(active / sites).toBeLessThan(0.6);
  });

  it("fires at about 0.25 while active, or at p", () => {
    // Find a seed where the site is active (activation forced to 1 to keep the test direct).
    installFakeRuntime(7, { buggifyActivation: 1 });
    let fired = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) if (buggify("hot")) fired++;
    expect(fired / n).toBeGreaterThan(0.23);
    expect(fired / n).toBeLessThan(0.27);
    let firedP = 0;
    for (let i = 0; i < n; i++) if (buggifyWithProb(0.05, "hot2")) firedP++;
    expect(firedP / n).toBeGreaterThan(0.04);
    expect(firedP / n).toBeLessThan(0.06);
    expect([...Array(100)].some(() => buggifyWithProb(0, "hot3"))).toBe(false);
  });

  it("uses the runtime's activation and fire probabilities", () => {
    installFakeRuntime(8, { buggifyActivation: 0 });
    expect([...Array(100)].some((_, i) => buggify(`s${i}`))).toBe(false);
    installFakeRuntime(9, { buggifyActivation: 1, buggifyProbability: 1 });
    expect([...Array(100)].every((_, i) => buggify(`s${i}`))).toBe(true);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const run = (seed: number): string => {
      installFakeRuntime(seed);
      let out = "";
      for (let i = 0; i < 200; i++) out += buggify(`site-${i % 7}`) ? "1" : "0";
      return out;
    };
    expect(run(42)).toBe(run(42));
    expect(run(42)).not.toBe(run(43));
  });

  it("forgets activations at a new epoch (new seed)", () => {
    const activeSet = (seed: number): string => {
      installFakeRuntime(seed);
      return [...Array(16)].map((_, i) => (buggifyWithProb(1, `e${i}`) ? "1" : "0")).join("");
    };
    const sets = new Set([1, 2, 3, 4, 5].map(activeSet));
    expect(sets.size).toBeGreaterThan(1);
    expect(activeSet(3)).toBe(activeSet(3));
  });

  it("is false in the quiet tail and when buggify is off, drawing nothing", () => {
    const rt = installFakeRuntime(5, { buggifyActivation: 1, buggifyProbability: 1 });
    expect(buggify("q")).toBe(true);
    rt.active = false;
    const before = rt.rng.draws;
    expect(chaosActive()).toBe(false);
    expect(buggify("q")).toBe(false);
    expect(buggify()).toBe(false);
    expect(rt.rng.draws).toBe(before);
    installFakeRuntime(5, { buggifyActivation: 1, buggifyProbability: 1, buggifyEnabled: false });
    expect(buggify("q")).toBe(false);
  });

  it("identifies unlabeled call sites by file, line and column", () => {
    installFakeRuntime(11, { buggifyActivation: 1, buggifyProbability: 1 });
    const results: boolean[] = [];
    for (let i = 0; i < 3; i++) results.push(buggify());
    buggify(); // a second, distinct call site
    const names = buggifySites()
      .map((s) => s.site)
      .filter((s) => s.includes("buggify.test.ts"));
    expect(results).toEqual([true, true, true]);
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/buggify\.test\.ts:\d+:\d+$/);
    expect(names[0]).not.toBe(names[1]);
  });

  it("unlabeled sites fire at activation x p, deciding activation once per seed", () => {
    const bare = (): boolean => buggify();
    installFakeRuntime(20, { buggifyActivation: 1 });
    let fired = 0;
    for (let i = 0; i < 20_000; i++) if (bare()) fired++;
    expect(fired / 20_000).toBeGreaterThan(0.23);
    expect(fired / 20_000).toBeLessThan(0.27);
    installFakeRuntime(21, { buggifyActivation: 0 });
    expect([...Array(1000)].some(bare)).toBe(false);
    // Default activation: per seed the site either never fires or fires about a quarter of the time.
    let activeSeeds = 0;
    for (let seed = 0; seed < 200; seed++) {
      installFakeRuntime(300 + seed);
      let n = 0;
      for (let i = 0; i < 200; i++) if (bare()) n++;
      expect(n === 0 || (n > 25 && n < 80)).toBe(true);
      if (n > 0) activeSeeds++;
    }
    expect(activeSeeds / 200).toBeGreaterThan(0.38);
    expect(activeSeeds / 200).toBeLessThan(0.62);
  });

  it("identifies tagged-template sites without a label string", () => {
    const visit = (): boolean => buggify``;
    installFakeRuntime(12, { buggifyActivation: 1, buggifyProbability: 1 });
    expect(visit()).toBe(true);
    expect(buggify`named site`).toBe(true);
    const sites = buggifySites().map((s) => s.site);
    expect(sites).toContain("named site");
    expect(sites.some((s) => /buggify\.test\.ts:\d+:\d+$/.test(s))).toBe(true);
    // Same site, same activation for the whole seed, across calls.
    installFakeRuntime(13, { buggifyProbability: 1 });
    const first = visit();
    for (let i = 0; i < 10; i++) expect(visit()).toBe(first);
  });

  it("shares state between two call sites using the same label", () => {
    installFakeRuntime(14, { buggifyProbability: 1 });
    const a = buggify("shared");
    const b = buggify("shared");
    expect(a).toBe(b);
  });

  it("buggifyKnob returns the default unless the site fires", () => {
    installFakeRuntime(15, { buggifyActivation: 1, buggifyProbability: 1 });
    const v = buggifyKnob("knob", 100, 1, 10);
    expect(v).toBeGreaterThanOrEqual(1);
    expect(v).toBeLessThan(10);
    installChaosRuntime(null);
    expect(buggifyKnob("knob", 100, 1, 10)).toBe(100);
    expect(() => buggifyKnob("knob", 1, 5, 5)).toThrow(/min \(5\) must be < maxExclusive/);
    expect(() => buggifyKnob("knob", 1, 5, 5)).toThrow(InvalidArgumentError);
  });
});
