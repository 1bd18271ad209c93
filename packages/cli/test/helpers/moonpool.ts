// Runs the real `moonpool` binary in a child process, as a user would.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const bin = fileURLToPath(new URL("../../bin/moonpool.js", import.meta.url));
export const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** The exit code, stdout and stderr of `moonpool ...args` (cwd: the fixtures unless given). */
export function moonpool(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? fixtures,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", JOB_COMPLETION_INDEX: "", ...options.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A report's JSON text with its wall times (the one part no two runs share) zeroed. */
export function withoutWallTimes(json: string): string {
  return json.replace(/"wallMs":[0-9.e+-]+/g, '"wallMs":0');
}
