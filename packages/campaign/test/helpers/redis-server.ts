// A private redis-server for one test file: a free loopback port, AOF on (so a restart keeps
// the queue), no RDB snapshots, `noeviction` as BullMQ requires. Always stopped by `stop()`,
// and killed at process exit should a test die first.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Whether redis-server can run here, and why not. */
export function redisAvailability(): { available: boolean; reason: string } {
  const r = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return { available: false, reason: "redis-server is not installed" };
  return { available: true, reason: r.stdout.trim() };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

export class RedisServer {
  readonly port: number;
  readonly dir: string;
  private child: ChildProcess | undefined;
  private readonly killAtExit = () => this.child?.kill("SIGKILL");

  private constructor(port: number, dir: string) {
    this.port = port;
    this.dir = dir;
    process.on("exit", this.killAtExit);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), "moonpool-redis-")));
    await server.spawn();
    return server;
  }

  /** A graceful stop (SIGTERM: the AOF is flushed) and a start on the same port and directory. */
  async restart(): Promise<void> {
    await this.shutdown();
    await this.spawn();
  }

  async stop(): Promise<void> {
    await this.shutdown();
    process.off("exit", this.killAtExit);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private spawn(): Promise<void> {
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "yes",
        "--dir",
        this.dir,
        "--maxmemory-policy",
        "noeviction",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    return new Promise((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (code ${code}): ${out}`));
      });
    });
  }

  private async shutdown(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.removeAllListeners("exit");
      child.on("exit", () => resolve());
      child.kill("SIGTERM");
    });
  }
}
