// Exploration on a full simulation, not a state machine: a log server process and a client
// workload talking over the simulated network, the server appending every op to simulated
// storage, under network chaos. The bug is deep: five "reset" ops in a row (each p = 0.05,
// decided by the client's counted stream) break the server (an `always` in the service). The
// `sometimesEach` marks in the server and the client are the split points: each new streak
// length is a new bucket, so exploration climbs one rare step at a time. Plain seeds need about
// 0.05^5 per position: roughly one seed in 100,000.
import { always, sometimesEach } from "@moonpool/assertions";
import { SimulationBuilder } from "@moonpool/sim";

const PORT = 7000;
const OPS = 32;
const RESET_P = 0.05;
const BREAKING_STREAK = 5;
const OP = 0x6f; // "o"
const RESET = 0x72; // "r"

export function rareNetworkSimulation(): SimulationBuilder {
  return new SimulationBuilder()
    .logSeeds(false)
    .processes(1, () => ({
      name: "server",
      async run(ctx) {
        const listener = await ctx.network.listen(`${ctx.ip}:${PORT}`);
        ctx.shutdown.addEventListener("abort", () => void listener.close(), { once: true });
        const log = await ctx.storage.open("ops.log", { read: true, write: true, create: true });
        let offset = 0;
        for (;;) {
          const conn = await listener.accept().catch(() => null);
          if (conn === null) return;
          let streak = 0;
          for (let chunk = await conn.read(); chunk !== null; chunk = await conn.read()) {
            for (const byte of chunk) {
              streak = byte === RESET ? streak + 1 : 0;
              sometimesEach("server reset streak", { streak });
              always(streak < BREAKING_STREAK, "the server survives resets in a row");
              await log.write(offset, new Uint8Array([byte]));
              offset += 1;
              if (offset % 8 === 0) await log.sync();
              await conn.write(new Uint8Array([byte]));
            }
          }
          await conn.close();
        }
      },
    }))
    .workload({
      name: "client",
      async run(ctx) {
        const conn = await ctx.network.connect(`${ctx.peer("server")}:${PORT}`);
        let streak = 0;
        for (let i = 0; i < OPS; i++) {
          sometimesEach("client reset streak", { streak });
          const reset = ctx.random.random() < RESET_P;
          streak = reset ? streak + 1 : 0;
          await conn.write(new Uint8Array([reset ? RESET : OP]));
          const ack = await conn.read();
          if (ack === null) throw new Error("the server closed the connection");
        }
        await conn.close();
      },
    })
    .chaos({ network: { pairLatency: { maxMs: 20 }, reorder: { probability: 0.05, maxDelayMs: 5 } } })
    .chaosDuration(10_000);
}
