// The queue flags of run / explore / worker, checked before anything connects: a bad --queue
// URL or a missing --campaign is a usage error (exit 2) naming the flag.
import { describe, expect, it } from "vitest";
import { runCli } from "../src/cli.ts";
import type { CliIO } from "../src/io.ts";
import { moonpool } from "./helpers/moonpool.ts";

async function cli(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = "";
  let stdout = "";
  const io: CliIO = {
    cwd: new URL("../../../", import.meta.url).pathname,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  };
  const code = await runCli(args, io);
  return { code, stderr, stdout };
}

describe("--queue", () => {
  it("refuses a URL that is not redis://, naming --queue (run, explore, worker)", async () => {
    for (const args of [
      ["run", "apps/maze/src/maze.sim.ts", "--queue", "http://127.0.0.1:6379"],
      ["explore", "apps/maze/src/maze.sim.ts", "--queue", "127.0.0.1:6379"],
      ["worker", "--queue", "nonsense", "--campaign", "x"],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^moonpool: --queue: expected/);
    }
  });

  it("refuses flags that need this process's threads", async () => {
    const r = await cli([
      "run",
      "apps/maze/src/maze.sim.ts",
      "--queue",
      "redis://127.0.0.1:1",
      "--workers",
      "2",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--workers does not combine with --queue");
  });

  it("worker needs --queue and --campaign", async () => {
    expect((await cli(["worker", "--campaign", "x"])).stderr).toContain(
      "--queue: expected redis://host:port",
    );
    const r = await cli(["worker", "--queue", "redis://127.0.0.1:1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--campaign: the campaign to work on");
    expect((await cli(["worker", "--queue", "redis://127.0.0.1:1", "--campaign", "a:b"])).stderr).toContain(
      "--campaign",
    );
  });

  it("is in the help text with examples", () => {
    // One spawn of the real binary: cac prints help on the process's stdout.
    const r = moonpool(["worker", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("moonpool worker --queue redis://");
  }, 30_000);
});
