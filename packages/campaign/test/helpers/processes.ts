// The `moonpool` CLI in child processes, started from source (no wrapper process), so a test's
// SIGKILL lands on the process that holds the job.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root: campaign files are named relative to it. */
export const root = fileURLToPath(new URL("../../../../", import.meta.url));

const require = createRequire(import.meta.url);
const tsx = pathToFileURL(
  require.resolve("tsx/package.json").replace(/package\.json$/, "dist/loader.mjs"),
).href;
const main = fileURLToPath(new URL("../../../cli/src/main.ts", import.meta.url));

export interface CliProcess {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

/** Starts `moonpool ...args` in `cwd` (default: the repository root). */
export function startCli(args: readonly string[], cwd = root): CliProcess {
  const child = spawn(process.execPath, ["--conditions=@moonpool/source", "--import", tsx, main, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", JOB_COMPLETION_INDEX: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const p: CliProcess = {
    child,
    stdout: "",
    stderr: "",
    exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))),
  };
  child.stdout!.on("data", (c: Buffer) => {
    p.stdout += c.toString();
  });
  child.stderr!.on("data", (c: Buffer) => {
    p.stderr += c.toString();
  });
  return p;
}

/** A worker process with short BullMQ locks, so a killed worker's job comes back within seconds. */
export function startWorker(url: string, campaign: string, cwd = root): CliProcess {
  return startCli(
    [
      "worker",
      "--queue",
      url,
      "--campaign",
      campaign,
      "--lock-duration",
      "2000",
      "--stalled-interval",
      "500",
    ],
    cwd,
  );
}

/** Waits until `check()` holds (polling), or fails after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Stops a process (SIGTERM, then SIGKILL after 5 s) and waits for it. */
export async function stop(p: CliProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill("SIGTERM");
  const timer = setTimeout(() => p.child.kill("SIGKILL"), 5000);
  await p.exited;
  clearTimeout(timer);
}

/** A report's JSON text with its wall times zeroed (the one part no two runs share). */
export function withoutWallTimes(json: string): string {
  return json.replace(/"wallMs":[0-9.e+-]+/g, '"wallMs":0');
}
