import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/index.ts";

const bin = fileURLToPath(new URL("../bin/moonpool.js", import.meta.url));
const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));

function moonpool(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: fixtures,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("moonpool CLI (end to end)", () => {
  it("list prints the simulation files under the cwd", () => {
    const r = moonpool("list");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([
      "counter.sim.ts",
      "coverage-gap.sim.ts",
      "flaky.sim.ts",
      "lost-update.sim.ts",
      "timeline.sim.ts",
    ]);
  });

  it("run --json prints only the report JSON and exits 0 when every seed passed", () => {
    const r = moonpool("run", "counter", "--iterations", "20", "--json", "--progress-interval", "0");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { passed: number; failed: number; seeds: { seed: number }[] };
    expect(json.passed).toBe(20);
    expect(json.failed).toBe(0);
    // Progress: plain lines on stderr (not a terminal), one per seed at interval 0, with the
    // counts, the rate, the ETA and the seed in flight.
    const progress = r.stderr.split("\n").filter((l) => l.startsWith("[moonpool] progress:"));
    expect(progress).toHaveLength(20);
    progress.forEach((l, i) => {
      expect(l).toMatch(
        new RegExp(
          `^\\[moonpool\\] progress: ${i + 1}/20 seeds, 0 failed, [\\d.]+ seeds/s, ETA \\d+s, seed \\d+$`,
        ),
      );
    });
    expect(r.stdout).not.toMatch(/progress/);
    // The workload console.logs: those lines went to stderr, prefixed, never into the JSON.
    expect(r.stdout).not.toMatch(/sent \d/);
    expect(r.stderr).toMatch(/^\[client @ \d+\.\d{3}s\] sent 4$/m);
    // Every such line arrives (20 seeds x 5; the runner lets its worker flush before it exits),
    // each with the prefix.
    const lines = r.stderr.split("\n").filter((l) => /sent \d$/.test(l));
    expect(lines).toHaveLength(100);
    for (const l of lines) expect(l).toMatch(/^\[client @ \d+\.\d{3}s\] sent \d$/);
  }, 60_000);

  it("a failing run exits 1 and prints a replay command that reproduces the seed", () => {
    const r = moonpool("run", "lost-update.sim.ts", "--iterations", "30", "--seed", "7");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED/);
    const m = /moonpool replay (\S+) --seed (\d+)/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(m![1]).toBe("lost-update.sim.ts");
    const hash = new RegExp(`seed=${m![2]} .*hash=([0-9a-f]{16})`).exec(r.stdout)![1];
    const replay = moonpool("replay", m![1]!, "--seed", m![2]!, "--json");
    expect(replay.code).toBe(1);
    const json = JSON.parse(replay.stdout) as { seeds: { seed: number; traceHash: string; error: string }[] };
    expect(json.seeds).toHaveLength(1);
    expect(json.seeds[0]!.seed).toBe(Number(m![2]));
    expect(json.seeds[0]!.traceHash).toBe(hash);
    expect(json.seeds[0]!.error).toMatch(/lost update/);
  }, 60_000);

  it("--trace writes every seed's events to a JSON file", () => {
    const out = join(mkdtempSync(join(tmpdir(), "moonpool-cli-")), "trace.json");
    const r = moonpool("replay", "counter", "--seed", "5", "--trace", out);
    expect(r.code).toBe(0);
    const trace = JSON.parse(readFileSync(out, "utf8")) as { seeds: Record<string, { name: string }[]> };
    expect(trace.seeds["5"]!.filter((e) => e.name === "sent")).toHaveLength(5);
  }, 60_000);

  it("a file that is not a simulation, or a missing file, exits 2 with one clear line", () => {
    // A scratch directory without package.json (the file still loads as an ES module).
    const dir = mkdtempSync(join(tmpdir(), "moonpool-cli-notsim-"));
    writeFileSync(join(dir, "answer.sim.ts"), "export default { answer: 42 };\n");
    const inDir = spawnSync(process.execPath, [bin, "run", "answer.sim.ts"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(inDir.status).toBe(2);
    expect(inDir.stderr).toMatch(
      /^moonpool: answer\.sim\.ts: not a simulation module: .* but its default export is an object with keys answer\n/,
    );
    expect(inDir.stderr).not.toMatch(/^\s+at /m); // no stack
    const missing = moonpool("run", "./gone/missing.sim.ts");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^moonpool: no simulation file "\.\/gone\/missing\.sim\.ts"/);
    expect(missing.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);

  it("a file that throws while it imports exits 2 (a broken file, not a failing seed), naming where", () => {
    const dir = mkdtempSync(join(tmpdir(), "moonpool-cli-broken-"));
    writeFileSync(join(dir, "broken.sim.ts"), 'export const x = 1;\nthrow new Error("broken on import");\n');
    for (const command of ["run", "explore"]) {
      const r = spawnSync(process.execPath, [bin, command, "broken.sim.ts"], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
      });
      expect(r.status, `${command}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/failed to import: broken on import \(at .*broken\.sim\.ts:2:7\)/);
    }
  }, 60_000);

  it("run's --base-seed names what --seed is there (its alias); giving both is refused", () => {
    const seedsOf = (...flag: string[]) =>
      (
        JSON.parse(moonpool("run", "counter", ...flag, "--iterations", "3", "--json").stdout) as {
          seeds: { seed: number }[];
        }
      ).seeds.map((s) => s.seed);
    const viaBase = seedsOf("--base-seed", "7");
    expect(viaBase[0]).toBe(7);
    expect(seedsOf("--seed", "7")).toEqual(viaBase);
    const both = moonpool("run", "counter", "--base-seed", "7", "--seed", "7");
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--base-seed and --seed are the same option/);
  }, 60_000);

  it("a usage error exits 2", () => {
    const r = moonpool("replay", "counter");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/replay needs --seed N/);
  }, 60_000);
});

describe("runCli (in process)", () => {
  async function cli(...args: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await runCli(args, {
      cwd: fixtures,
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
    });
    return { code, stdout, stderr };
  }

  it("usage errors return 2 with a clear message", async () => {
    expect((await cli()).code).toBe(2);
    const unknownCommand = await cli("frobnicate");
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/unknown command "frobnicate"/);
    const zero = await cli("run", "counter", "--iterations", "0");
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--iterations: expected an integer >= 1/);
    const both = await cli("run", "counter", "--iterations", "3", "--until-stable");
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exclude each other/);
    const badSeed = await cli("replay", "counter", "--seed", "-3");
    expect(badSeed.code).toBe(2);
    const missing = await cli("run", "nope");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no simulation file "nope".*counter\.sim\.ts/);
    const badShard = await cli("run", "counter", "--shard", "4/3");
    expect(badShard.code).toBe(2);
    expect(badShard.stderr).toMatch(/--shard: expected i\/n/);
    const badWorkers = await cli("run", "counter", "--workers", "0");
    expect(badWorkers.code).toBe(2);
    const badFlag = await cli("run", "counter", "--bogus");
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/bogus/);
  });

  it("list finds *.sim.ts files and skips node_modules", async () => {
    // A scratch tree, so the fixtures directory stays as committed.
    const root = mkdtempSync(join(tmpdir(), "moonpool-list-"));
    const hidden = join(root, "node_modules", "some-pkg");
    mkdirSync(hidden, { recursive: true });
    mkdirSync(join(root, "sims"));
    writeFileSync(join(hidden, "hidden.sim.ts"), "export default 1;\n");
    writeFileSync(join(root, "sims", "visible.sim.ts"), "export default 1;\n");
    writeFileSync(join(root, "helper.ts"), "export {};\n");
    let stdout = "";
    const code = await runCli(["list"], {
      cwd: root,
      stdout: (t) => {
        stdout += t;
      },
      stderr: () => {},
    });
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toEqual([join("sims", "visible.sim.ts")]);
  });
});

describe("runCli with a file that is not a simulation (in process)", () => {
  it("returns 2 and names the file and what its default export is, without a stack", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moonpool-cli-notsim-"));
    writeFileSync(join(dir, "nothing.sim.ts"), "export const helper = 1;\n");
    let stderr = "";
    const code = await runCli(["run", "nothing.sim.ts"], {
      cwd: dir,
      stdout: () => {},
      stderr: (t) => {
        stderr += t;
      },
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^moonpool: nothing\.sim\.ts: not a simulation module: .*but it has no default export \(its exports: helper\)\n/,
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});
