import { describe, expect, it } from "vitest";
import type { TraceFields } from "../../src/engine/kernel.ts";
import { runOk } from "./helpers.ts";

describe("console routing", () => {
  it("prefixes actors' console output with [actor @ virtual time] on stderr, and traces it when asked", async () => {
    const written: string[] = [];
    const traced: { source: string; name: string; fields?: TraceFields }[] = [];
    const realWrite = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      await runOk(
        1,
        async (_k, actors) => {
          const server = actors.createActor("server", "10.0.1.1");
          await server.task
            .spawn("serve", async () => {
              await server.time.sleep(12_345);
              console.log("hello %s", "world");
              console.error("oops");
            })
            .join();
        },
        { consoleToTrace: true, onTrace: (e) => traced.push(e) },
      );
      // After the seed console.log prints as it did before (nothing routed, no prefix).
      console.log("after the seed");
    } finally {
      process.stderr.write = realWrite;
    }
    expect(written).toEqual(["[server @ 12.345s] hello world\n", "[server @ 12.345s] oops\n"]);
    expect(traced).toEqual([
      { timeMs: 12_345, source: "server", name: "console", fields: { level: "log", message: "hello world" } },
      { timeMs: 12_345, source: "server", name: "console", fields: { level: "error", message: "oops" } },
    ]);
  });

  it("console.dir and console.table (stdout in Node) also go to stderr, laid out as Node does", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const realOut = process.stdout.write;
    const realErr = process.stderr.write;
    const realDir = console.dir;
    process.stdout.write = ((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      err.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      await runOk(2, async (_k, actors) => {
        const a = actors.createActor("client", "10.0.0.1");
        await a.time.sleep(1_500);
        await a.task
          .spawn("report", async () => {
            console.dir({ a: 1 });
            console.table([{ x: 1 }]);
          })
          .join();
      });
    } finally {
      process.stdout.write = realOut;
      process.stderr.write = realErr;
    }
    expect(console.dir).toBe(realDir);
    expect(out).toEqual([]);
    expect(err[0]).toBe("[client @ 1.500s] { a: 1 }\n");
    expect(err[1]).toMatch(/^\[client @ 1\.500s\] ┌[\s\S]*│ x │[\s\S]*┘\n$/);
  });
});
