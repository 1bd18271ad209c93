import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Starts a fixture under `node --conditions=@moonpool/source --import tsx`. */
export function startFixture(file: string, args: string[]): ChildProcess {
  return spawn(
    process.execPath,
    [
      "--conditions=@moonpool/source",
      "--import",
      "tsx",
      fileURLToPath(new URL(`../fixtures/${file}`, import.meta.url)),
      ...args,
    ],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
  );
}

/** Resolves with the first stdout line matching `pattern`; rejects if the child exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      for (const line of out.split("\n")) {
        if (pattern.test(line)) {
          child.stdout?.off("data", onData);
          resolve(line);
          return;
        }
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (c: Buffer) => {
      err += c.toString();
    });
    child.once("exit", (code) =>
      reject(new Error(`child exited (${code}) before ${pattern}: ${err || out}`)),
    );
  });
}

/** Resolves with the exit code. */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** Resolves with the exit code and every stdout line matching `pattern`. */
export function exitedWithLines(
  child: ChildProcess,
  pattern: RegExp,
): Promise<{ code: number | null; lines: string[] }> {
  let out = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve) =>
    child.once("close", (code) => resolve({ code, lines: out.split("\n").filter((l) => pattern.test(l)) })),
  );
}
