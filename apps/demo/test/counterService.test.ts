import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeProviders } from "@moonpool/core/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CounterService, sendLines } from "../src/counterService.ts";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "moonpool-demo-test-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("CounterService on nodeProviders", () => {
  it("answers every line with the next count, across clients and restarts", async () => {
    const p = nodeProviders({ dataDir });
    const first = await CounterService.start(p, "127.0.0.1:0");
    const stop = new AbortController();
    const serving = first.serve(stop.signal);
    expect(await sendLines(p, first.address, ["a", "b"])).toEqual(["1 a", "2 b"]);
    const [x, y] = await Promise.all([
      sendLines(p, first.address, ["x"]),
      sendLines(p, first.address, ["y"]),
    ]);
    expect([x[0], y[0]].map((r) => Number(r?.split(" ")[0])).sort()).toEqual([3, 4]);
    stop.abort();
    await serving;

    const second = await CounterService.start(p, "127.0.0.1:0");
    expect(second.count).toBe(4);
    const stop2 = new AbortController();
    const serving2 = second.serve(stop2.signal);
    expect(await sendLines(p, second.address, ["again"])).toEqual(["5 again"]);
    stop2.abort();
    await serving2;
  });
});
