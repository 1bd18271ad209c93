// `moonpool-codegen --watch` and `watchGenerated`: edits to a declaration, or to a file whose types
// it uses, regenerate the outputs; an unsupported edit is reported and the watch goes on. Every
// wait is bounded.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runCli, type Watcher, watchGenerated } from "../src/index.ts";

vi.setConfig({ testTimeout: 60_000 });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "codegen-watch-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Polls `check` every 25 ms until it holds; fails after `ms`. */
async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), "utf8") : "");
const service = (methods: string) =>
  `import type { Req } from "./types.ts";\n/** @service */\nexport interface Calc {\n${methods}\n}\n`;

describe("moonpool-codegen --watch", () => {
  it("regenerates on each edit, reports an unsupported one and goes on, and stops on abort", async () => {
    writeFileSync(join(dir, "types.ts"), "export interface Req { n: number }\n");
    writeFileSync(join(dir, "calc.ts"), service("  add(req: Req): Promise<number>;"));
    const out: string[] = [];
    const err: string[] = [];
    const stop = new AbortController();
    const done = runCli(["calc.ts", "--watch", "--emit", "ts,rust"], {
      cwd: dir,
      stdout: (l) => out.push(l),
      stderr: (l) => err.push(l),
      signal: stop.signal,
    });
    expect(done).toBeInstanceOf(Promise);
    try {
      await until("the first generation", () => out.some((l) => l.startsWith("moonpool-codegen: watching")));
      expect(out).toEqual(expect.arrayContaining(["wrote calc.service.ts", "wrote calc.rs"]));
      expect(read("calc.service.ts")).toContain("tokens Calc: add=1");

      writeFileSync(
        join(dir, "calc.ts"),
        service("  add(req: Req): Promise<number>;\n  mul(req: Req): Promise<number>;"),
      );
      await until("the new method", () => read("calc.service.ts").includes("add=1 mul=2"));
      await until("the Rust module", () => read("calc.rs").includes("pub const MUL: u32 = 2;"));

      // A file the declaration uses: its change reaches the outputs too.
      writeFileSync(join(dir, "types.ts"), "export interface Req { n: number; label: string }\n");
      await until("the changed message type", () => read("calc.rs").includes("pub label: String,"));

      writeFileSync(join(dir, "calc.ts"), service("  add(req: Req): Promise<Date>;"));
      await until("the error report", () => err.some((l) => l.includes("still watching")));
      expect(err.join("\n")).toMatch(/calc\.ts:\d+:\d+: .*Date/);

      writeFileSync(join(dir, "calc.ts"), service("  sub(req: Req): Promise<number>;"));
      await until("the fixed declaration", () => read("calc.service.ts").includes("tokens Calc: sub=1"));
    } finally {
      stop.abort();
    }
    expect(await done).toBe(0);
  });

  it("--watch cannot be combined with --check", () => {
    writeFileSync(join(dir, "calc.ts"), "");
    const err: string[] = [];
    const code = runCli(["calc.ts", "--watch", "--check"], {
      cwd: dir,
      stdout: () => {},
      stderr: (l) => err.push(l),
    });
    expect(code).toBe(2);
    expect(err[0]).toBe("moonpool-codegen: --watch: cannot be combined with --check");
  });
});

describe("watchGenerated", () => {
  let watcher: Watcher | undefined;
  afterEach(async () => {
    await watcher?.close();
  });

  it("runs once when ready, then after a change, and no more once closed", async () => {
    writeFileSync(join(dir, "types.ts"), "export interface Req { n: number }\n");
    writeFileSync(join(dir, "calc.ts"), service("  add(req: Req): Promise<number>;"));
    const runs: string[][] = [];
    watcher = watchGenerated(["calc.ts"], {
      cwd: dir,
      emit: ["json-schema"],
      onRun: ({ written, error }) =>
        runs.push(error ? ["error"] : written.map((p) => p.slice(dir.length + 1))),
    });
    await watcher.ready;
    expect(runs).toEqual([["calc.schema.json"]]);
    writeFileSync(join(dir, "types.ts"), "export interface Req { n: number; m: boolean }\n");
    await until("the second run", () => runs.length >= 2);
    expect(runs[1]).toEqual(["calc.schema.json"]);
    expect(read("calc.schema.json")).toContain('"m"');
    await watcher.close();
    const count = runs.length;
    writeFileSync(join(dir, "types.ts"), "export interface Req { n: string }\n");
    await new Promise((r) => setTimeout(r, 300));
    expect(runs.length).toBe(count);
  });

  it("refuses a bad debounce, naming it", () => {
    expect(() => watchGenerated(["calc.ts"], { cwd: dir, debounceMs: -1 })).toThrow(/options\.debounceMs/);
  });
});
