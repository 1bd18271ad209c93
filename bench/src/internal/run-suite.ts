// Child-process side of `pnpm bench`: imports one suite, runs it with a reporter that sends each
// result to the parent over the IPC channel, then exits.
import { pathToFileURL } from "node:url";
import type { BenchReporter, BenchSuite } from "../harness.ts";

/** Messages from a suite process to bench/run.mjs. */
export type SuiteMessage =
  | { kind: "figure"; name: string; value: number; unit: string }
  | { kind: "ratio"; name: string; value: number; description: string }
  | { kind: "done" }
  | { kind: "error"; message: string };

function send(message: SuiteMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      console.log(JSON.stringify(message));
      resolve();
      return;
    }
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

const file = process.argv[2];
if (!file) throw new Error("usage: run-suite.ts <file.bench.ts>");

const pending: Promise<void>[] = [];
const reporter: BenchReporter = {
  figure(name, value, unit) {
    if (!Number.isFinite(value)) throw new Error(`figure "${name}" is not a finite number: ${value}`);
    pending.push(send({ kind: "figure", name, value, unit }));
  },
  ratio(name, value, description) {
    if (!Number.isFinite(value)) throw new Error(`ratio "${name}" is not a finite number: ${value}`);
    pending.push(send({ kind: "ratio", name, value, description }));
  },
};

try {
  const mod = (await import(pathToFileURL(file).href)) as { default?: BenchSuite };
  if (typeof mod.default !== "function") throw new Error(`${file} has no default export of type BenchSuite`);
  await mod.default(reporter);
  await Promise.all(pending);
  await send({ kind: "done" });
} catch (error) {
  await Promise.all(pending).catch(() => {});
  await send({
    kind: "error",
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exitCode = 1;
}
process.disconnect?.();
