// A multi-seed campaign over the simulated devices with full random chaos and crash reboots: a
// replicated-style log service that acknowledges an append only after it is synced must never
// lose an acknowledged record, no seed may hang or throw inside a device, and the campaign must
// exercise most fault kinds.
import { describe, expect, it } from "vitest";
import { type Process, SimulationBuilder, type Workload } from "../../src/index.ts";

interface Event {
  name: string;
  fields: Record<string, unknown>;
}

const RECORD = 16;

/** Appends fixed-size records; the reply (the record count) is sent only after a sync. */
const logServer: Process = {
  name: "log",
  async run(ctx) {
    const file = await ctx.storage.open("log.bin", { read: true, write: true, create: true });
    // The file's name is durable only once its directory is synced (POSIX): without this a crash
    // right after the first boot may forget the whole log, acknowledged records included.
    await ctx.storage.syncDir("");
    let count = Math.floor((await file.size()) / RECORD);
    ctx.trace("boot", { count });
    const listener = await ctx.network.listen(`${ctx.ip}:4500`);
    ctx.shutdown.addEventListener("abort", () => void listener.close());
    let busy = Promise.resolve();
    for (;;) {
      const conn = await listener.accept().catch(() => null);
      if (conn === null) return;
      ctx.task.spawn("session", async () => {
        try {
          for (let req = await conn.read(); req; req = await conn.read()) {
            // One append at a time: the record slot and the count move together.
            const done = busy.then(async () => {
              await file.write(count * RECORD, new Uint8Array(RECORD).fill(count & 0xff));
              await file.sync();
              count += 1;
              return count;
            });
            busy = done.then(
              () => {},
              () => {},
            );
            const acked = await done;
            // The count and its complement: the network may flip bits (random chaos does).
            const reply = new Uint8Array(8);
            new DataView(reply.buffer).setUint32(0, acked);
            new DataView(reply.buffer).setUint32(4, ~acked >>> 0);
            await conn.write(reply);
          }
        } catch {
          conn.abort();
        }
      });
    }
  },
};

const appender: Workload = {
  name: "appender",
  async run(ctx) {
    for (let i = 0; i < 40 && !ctx.shutdown.aborted; i++) {
      try {
        const conn = await ctx.time.timeout(2_000, () => ctx.network.connect(`${ctx.peer("log")}:4500`));
        await conn.write(new Uint8Array([1]));
        const reply = await ctx.time.timeout(2_000, conn.read());
        if (reply !== null && reply.length === 8) {
          const view = new DataView(reply.buffer, reply.byteOffset);
          const count = view.getUint32(0);
          if (~count >>> 0 === view.getUint32(4)) ctx.trace("acked", { count });
          else ctx.trace("corrupt_reply", {});
        }
        conn.abort();
      } catch {
        await ctx.time.sleep(100);
      }
    }
  },
};

describe("devices campaign", () => {
  it("200 seeds of random network and storage chaos with crash reboots: no acknowledged append is lost", async () => {
    const report = await new SimulationBuilder()
      .logSeeds(false)
      .processes(1, () => logServer)
      .workload(appender)
      .chaos({
        network: "random",
        storage: "random",
        attrition: {
          maxDead: 1,
          weights: { graceful: 1, crash: 3, wipe: 0 },
          interval: { minMs: 300, maxMs: 1500 },
          restartDelay: { minMs: 100, maxMs: 500 },
        },
        buggify: false,
      })
      .chaosDuration(4_000)
      .iterations(200)
      .recordTraces()
      .run();
    expect(report.failingSeeds).toEqual([]);
    const kinds = new Set<string>();
    let crashes = 0;
    let totalAcks = 0;
    for (const events of Object.values(report.traces ?? {}) as Event[][]) {
      let acked = 0;
      let diskLied = false;
      for (const e of events) {
        if (e.name === "sim_fault") kinds.add(String(e.fields.kind));
        // A phantom or misdirected write never extends the log: the only way to lose an ack.
        if (
          e.name === "sim_fault" &&
          (e.fields.kind === "phantom_write" || e.fields.kind === "misdirected_write")
        ) {
          diskLied = true;
        }
        if (e.name === "acked") {
          acked = Math.max(acked, Number(e.fields.count));
          totalAcks += 1;
        }
        if (e.name === "boot" && !diskLied) {
          // A record whose append was acknowledged before a reboot is found again after it.
          expect(Number(e.fields.count)).toBeGreaterThanOrEqual(acked);
        }
        if (e.name === "sim_fault" && e.fields.kind === "storage_crash") crashes += 1;
      }
    }
    expect(totalAcks).toBeGreaterThan(2_000); // the service made progress despite the chaos
    expect(crashes).toBeGreaterThan(20);
    for (const kind of ["storage_crash", "partial_write", "partial_read", "pair_latency"])
      expect(kinds).toContain(kind);
    expect(kinds.size).toBeGreaterThanOrEqual(8);
  }, 300_000);
});
