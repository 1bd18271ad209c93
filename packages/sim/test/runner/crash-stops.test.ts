// A crashed process stops, completely: nothing it armed before the crash (a socket idle timeout,
// a node:http keep-alive timer, a hermetic setTimeout) runs after it, on disk or on the network.
import http from "node:http";
import type { Connection } from "@moonpool/core";
import { describe, expect, it } from "vitest";
import {
  type FaultContext,
  type Process,
  type SimContext,
  SimulationBuilder,
  type Workload,
} from "../../src/index.ts";
import type { SimConnection, SimSocketDuplex } from "../../src/network/index.ts";

const CRASH_AT_MS = 100;

interface Ev {
  name: string;
  timeMs: number;
  source: string;
  fields?: Record<string, unknown>;
}

/** A server whose idle timeout, armed before the crash, writes a file and phones the client. */
function zombieServer(armTimer: (conn: Connection, onIdle: () => void) => void): Process {
  return {
    name: "srv",
    async run(ctx) {
      const files = await ctx.storage.list("");
      ctx.trace("boot_sees_files", { files: files.join(",") });
      const listener = await ctx.network.listen(`${ctx.ip}:7000`);
      ctx.shutdown.addEventListener("abort", () => void listener.close());
      const conn = await listener.accept().catch(() => null);
      if (conn === null) return;
      armTimer(conn, () => void zombie(ctx));
      await ctx.time.sleep(3_600_000, ctx.shutdown).catch(() => {});
    },
  };
}

async function zombie(ctx: SimContext): Promise<void> {
  ctx.trace("idle_fired");
  const f = await ctx.storage.open("written-by-zombie", { read: true, write: true, create: true });
  await f.write(0, new Uint8Array([1, 2, 3]));
  await f.sync();
  ctx.trace("zombie_wrote");
  const c = await ctx.network.connect(`${ctx.peer("cli")}:7100`);
  await c.write(new Uint8Array([9]));
  ctx.trace("zombie_sent");
}

/** Connects to the server, then listens for anything the server sends it later. */
const client: Workload = {
  name: "cli",
  async run(ctx) {
    const inbox = await ctx.network.listen(`${ctx.ip}:7100`);
    ctx.task.spawn("inbox", async () => {
      for (;;) {
        const c = await inbox.accept().catch(() => null);
        if (c === null) return;
        const b = await c.read().catch(() => null);
        ctx.trace("cli_got_from_server", { byte: b?.[0] ?? -1 });
      }
    });
    await ctx.network.connect(`${ctx.peer("srv")}:7000`);
    await ctx.time.sleep(20_000);
    await inbox.close();
  },
};

async function crashAt(f: FaultContext): Promise<void> {
  await f.time.sleep(CRASH_AT_MS);
  f.reboot(f.processes()[0]!.ip, "crash");
}

async function runZombie(server: Process): Promise<Ev[]> {
  const report = await new SimulationBuilder()
    .logSeeds(false)
    .processes(1, () => server)
    .workload(client)
    .fault("crash", crashAt)
    .seeds([1, 2, 3])
    .recordTraces()
    .run();
  expect(report.seeds.map((s) => s.error ?? "ok")).toEqual(["ok", "ok", "ok"]);
  return Object.values(report.traces ?? {}).flat() as Ev[];
}

function expectNothingAfterCrash(events: Ev[]): void {
  const names = events.map((e) => e.name);
  expect(names).toContain("process_down");
  // the process came back and saw its disk as the crash left it
  expect(names.filter((n) => n === "process_boot").length).toBeGreaterThanOrEqual(6);
  const boots = events.filter((e) => e.name === "boot_sees_files");
  expect(boots.length).toBeGreaterThanOrEqual(6);
  expect(boots.every((e) => e.fields?.files === "")).toBe(true);
  const after = events.filter((e) => e.timeMs >= CRASH_AT_MS).map((e) => e.name);
  for (const n of ["idle_fired", "zombie_wrote", "zombie_sent", "cli_got_from_server"])
    expect(after).not.toContain(n);
}

describe("a crashed process stops", () => {
  it("a socket idle timeout armed before a crash never fires after it", async () => {
    const events = await runZombie(
      zombieServer((conn, onIdle) => {
        ((conn as SimConnection).toDuplex() as unknown as SimSocketDuplex).setTimeout(1_000, onIdle);
      }),
    );
    expectNothingAfterCrash(events);
  });

  it("a hermetic setTimeout armed from a device callback dies with its process", async () => {
    const events = await runZombie(
      zombieServer((conn, onIdle) => {
        // The duplex's first read is armed outside any task: its data event runs device-side.
        const duplex = (conn as SimConnection).toDuplex() as unknown as SimSocketDuplex;
        duplex.setTimeout(50, () => setTimeout(onIdle, 1_000));
      }),
    );
    expectNothingAfterCrash(events);
  });

  it("an unmodified node:http keep-alive server does nothing after its crash", async () => {
    const httpServer: Process = {
      name: "srv",
      async run(ctx) {
        const files = await ctx.storage.list("");
        ctx.trace("boot_sees_files", { files: files.join(",") });
        // keepAliveTimeout 5 s: the agent keeps the socket 4 s (the hint minus 1 s), the server's
        // idle timer fires at 6 s (plus Node's 1 s buffer), long after the crash at 100 ms.
        const server = http.createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
          res.sendDate = false;
          req.resume();
          req.on("end", () => res.end("hello"));
        });
        // Its keep-alive timer ends in socket 'timeout' -> destroy -> 'close': watch for it.
        server.on("connection", (socket) => {
          socket.on("close", () => void zombie(ctx));
        });
        const listener = await ctx.network.listen(`${ctx.ip}:7000`);
        ctx.shutdown.addEventListener("abort", () => void listener.close());
        for (;;) {
          const conn = await listener.accept().catch(() => null);
          if (conn === null) return;
          server.emit("connection", (conn as SimConnection).toDuplex());
        }
      },
    };
    const httpClient: Workload = {
      name: "cli",
      async run(ctx) {
        const srv = ctx.peer("srv");
        const inbox = await ctx.network.listen(`${ctx.ip}:7100`);
        ctx.task.spawn("inbox", async () => {
          for (;;) {
            const c = await inbox.accept().catch(() => null);
            if (c === null) return;
            const b = await c.read().catch(() => null);
            ctx.trace("cli_got_from_server", { byte: b?.[0] ?? -1 });
          }
        });
        // A keep-alive agent: the connection stays open after the reply, so the server's
        // keep-alive timer (armed with socket.setTimeout) is pending when it crashes.
        class SimAgent extends http.Agent {
          override createConnection(_o: unknown, cb: (e: Error | null, s?: unknown) => void): undefined {
            ctx.network.connect(`${srv}:7000`).then(
              (c) => cb(null, (c as SimConnection).toDuplex()),
              (e: Error) => cb(e),
            );
            return undefined;
          }
        }
        const agent = new SimAgent({ keepAlive: true, maxSockets: 1 });
        const reply = await new Promise<string>((resolve, reject) => {
          const req = http.request({ host: srv, port: 7000, path: "/", agent }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (c: string) => {
              body += c;
            });
            res.on("end", () => resolve(`${body} ${res.headers.connection}`));
          });
          req.on("error", reject);
          req.end();
        });
        ctx.trace("reply", { body: reply });
        await ctx.time.sleep(20_000);
        agent.destroy();
        await inbox.close();
      },
    };
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(1, () => httpServer)
      .workload(httpClient)
      .fault("crash", crashAt)
      .seeds([1, 2, 3])
      .recordTraces()
      .run();
    expect(report.seeds.map((s) => s.error ?? "ok")).toEqual(["ok", "ok", "ok"]);
    const events = Object.values(report.traces ?? {}).flat() as Ev[];
    // the reply came before the crash, on a kept-alive connection
    const replies = events.filter((e) => e.name === "reply" && e.timeMs < CRASH_AT_MS);
    expect(replies.map((e) => e.fields?.body)).toEqual([
      "hello keep-alive",
      "hello keep-alive",
      "hello keep-alive",
    ]);
    expectNothingAfterCrash(events);
  });
});

describe("a killed incarnation's providers", () => {
  it("park: code of a crashed process resumed through a plain promise changes nothing", async () => {
    // The process awaits a plain promise that a live workload resolves after the crash (the
    // engine cannot cancel that continuation): every provider call it then makes parks.
    let release: (() => void) | null = null;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const server: Process = {
      name: "srv",
      async run(ctx) {
        const files = await ctx.storage.list("");
        ctx.trace("boot_sees_files", { files: files.join(",") });
        if (files.length > 0 || ctx.state.has("booted")) return;
        ctx.state.set("booted", true);
        const f = await ctx.storage.open("early", { read: true, write: true, create: true });
        await gate; // resolved by the workload after the crash
        ctx.trace("zombie_resumed");
        await f.write(0, new Uint8Array([1])).catch(() => {});
        await f.sync().catch(() => {});
        await ctx.storage.open("late", { read: true, write: true, create: true }).then((g) => g.sync());
        ctx.trace("zombie_wrote");
        await ctx.network.connect(`${ctx.peer("cli")}:7100`).then((c) => c.write(new Uint8Array([9])));
        ctx.trace("zombie_sent");
        ctx.random.random();
      },
    };
    const cli: Workload = {
      name: "cli",
      async run(ctx) {
        const inbox = await ctx.network.listen(`${ctx.ip}:7100`);
        ctx.task.spawn("inbox", async () => {
          const c = await inbox.accept().catch(() => null);
          if (c !== null) ctx.trace("cli_got_from_server");
        });
        await ctx.time.sleep(CRASH_AT_MS + 50);
        release?.();
        await ctx.time.sleep(20_000);
        await inbox.close();
      },
    };
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(1, () => server)
      .workload(cli)
      .fault("crash", crashAt)
      .seeds([1])
      .recordTraces()
      .run();
    expect(report.seeds[0]?.error ?? "ok").toBe("ok");
    const events = Object.values(report.traces ?? {}).flat() as Ev[];
    const names = events.map((e) => e.name);
    expect(names).toContain("zombie_resumed");
    for (const n of ["zombie_wrote", "zombie_sent", "cli_got_from_server"]) expect(names).not.toContain(n);
    const boots = events.filter((e) => e.name === "boot_sees_files").map((e) => e.fields?.files);
    expect(boots).toEqual(["", ""]); // "early" was never synced: the crash took it
  });
});
