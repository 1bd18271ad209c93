// A replica as its own OS process on 127.0.0.1: `node src/main.ts replica --listen A --data D`.
// The parent reads one "ready" line from its stdout, kills it with SIGKILL to crash it, or with
// SIGTERM to stop it gracefully.

import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { KvBug } from "../bugs.ts";

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const MAIN = join(PACKAGE_DIR, "src", "main.ts");

/** A running replica process. */
export interface ReplicaProcess {
  readonly name: string;
  readonly address: string;
  readonly dataDir: string;
  readonly pid: number;
  /** Keys recovered from disk at boot. */
  readonly recoveredKeys: number;
  /** Resolves with the exit code or signal once the process is gone. */
  readonly exited: Promise<string>;
  kill(signal: "SIGKILL" | "SIGTERM"): Promise<string>;
}

/** A port on 127.0.0.1 free right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a replica process listening on `127.0.0.1:port` with its files in `dataDir`. */
export async function startReplicaProcess(options: {
  name: string;
  port: number;
  dataDir: string;
  bug?: KvBug | undefined;
}): Promise<ReplicaProcess> {
  const args = [
    "--conditions=@moonpool/source",
    "--import",
    "tsx",
    MAIN,
    "replica",
    "--listen",
    `127.0.0.1:${options.port}`,
    "--data",
    options.dataDir,
  ];
  if (options.bug) args.push("--bug", options.bug);
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: PACKAGE_DIR,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => resolve(signal ?? `exit ${code}`));
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<{ address: string; keys: number }>((resolve, reject) => {
    lines.once("line", (line) => {
      const match = /^ready (\S+) keys=(\d+)/.exec(line);
      if (match) resolve({ address: match[1]!, keys: Number(match[2]) });
      else reject(new Error(`${options.name}: unexpected first line "${line}"`));
    });
    exited.then((how) => reject(new Error(`${options.name} exited before it was ready (${how})`)));
  });
  return {
    name: options.name,
    address: ready.address,
    dataDir: options.dataDir,
    pid: child.pid ?? -1,
    recoveredKeys: ready.keys,
    exited,
    kill(signal) {
      child.kill(signal);
      return exited;
    },
  };
}
