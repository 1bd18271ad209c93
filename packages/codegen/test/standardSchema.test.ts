// The schema-first path (transport's `method(requestSchema, responseSchema)` with zod 4 or valibot)
// and the generated path give the same descriptor (names, order, tokens), send the same bytes for
// messages whose wire form is their in-memory form, and talk to each other.
import { UID } from "@moonpool/core";
import { SimulationBuilder } from "@moonpool/sim";
import { defineService, JsonCodec, method, NetTransport } from "@moonpool/transport";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Counter, serveCounter } from "./golden/counter.service.ts";

// serde writes u64 as a JSON number: the JSON codec gives a number up to 2^53 and a bigint above.
const zU64 = z.union([z.bigint(), z.number().int()]).transform((n) => BigInt(n));
const ZodCounter = defineService("Counter", {
  add: method(
    z.object({
      amount: z.number().int(),
      tags: z.array(z.string()).optional(),
      mode: z.enum(["fast", "safe"]),
    }),
    z.object({ total: zU64, items: z.record(z.string(), z.number()) }),
  ),
  get: method(z.object({ key: z.string() }), zU64),
});
const vU64 = v.pipe(
  v.union([v.bigint(), v.pipe(v.number(), v.integer())]),
  v.transform((n) => BigInt(n)),
);
const ValibotCounter = defineService("Counter", {
  add: method(
    v.object({
      amount: v.number(),
      tags: v.optional(v.array(v.string())),
      mode: v.picklist(["fast", "safe"]),
    }),
    v.object({ total: vU64, items: v.record(v.string(), v.number()) }),
  ),
  get: method(v.object({ key: v.string() }), vU64),
});

describe("Standard Schema path and generated path", () => {
  it("have the same methods, order and tokens", () => {
    const base = new UID(77n, 99n);
    for (const def of [ZodCounter, ValibotCounter]) {
      expect(def.methods).toEqual(Counter.methods);
      for (const m of Counter.methods)
        expect(def.methodToken(base, m).equals(Counter.methodToken(base, m))).toBe(true);
    }
  });

  it("send the same request bytes for the same messages", () => {
    const json = new JsonCodec();
    const bytes = (def: typeof Counter | typeof ZodCounter | typeof ValibotCounter, req: unknown) => {
      const encode = def.spec.add.encodeRequest as ((r: unknown) => unknown) | undefined;
      return Buffer.from(json.encode(encode ? encode(req) : req)).toString();
    };
    for (const req of [
      { amount: 5, mode: "fast" },
      { amount: 0, tags: ["a", "b"], mode: "safe" },
    ] as const) {
      expect(bytes(ZodCounter, req)).toBe(bytes(Counter, req));
      expect(bytes(ValibotCounter, req)).toBe(bytes(Counter, req));
    }
  });

  it("a zod client and a valibot client call a generated server over the simulated network", async () => {
    const results: unknown[] = [];
    const report = await new SimulationBuilder()
      .processes(1, () => ({
        name: "counter",
        async run(ctx) {
          const t = await NetTransport.listen(ctx.providers, { localAddress: `${ctx.ip}:4500` });
          let total = 0n;
          const { handle } = serveCounter(
            t,
            {
              add: ({ amount }) => {
                total += BigInt(amount);
                return { total, items: { n: Number(total) } };
              },
              get: () => 18446744073709551615n,
            },
            { wellKnown: 9 },
          );
          await new Promise<void>((r) => ctx.shutdown.addEventListener("abort", () => r(), { once: true }));
          await handle.stop();
          await t.close();
        },
      }))
      .workload(() => ({
        name: "clients",
        async run(ctx) {
          const t = await NetTransport.listen(ctx.providers, { localAddress: `${ctx.ip}:4501` });
          await ctx.time.sleep(10);
          const address = `${ctx.peer("counter")}:4500`;
          const { NetworkAddress } = await import("@moonpool/core");
          const zc = ZodCounter.clientWellKnown(t, NetworkAddress.parse(address), 9);
          const vc = ValibotCounter.clientWellKnown(t, NetworkAddress.parse(address), 9);
          results.push(await zc.add.getReply({ amount: 2, mode: "fast" }));
          results.push(await vc.add.getReply({ amount: 3, mode: "safe" }));
          results.push(await zc.get.getReply({ key: "k" }));
          // The schemas check what each side receives: the generated server refuses a bad request.
          for (const amount of [-1, 1.5]) {
            try {
              await (amount < 0 ? zc : vc).add.getReply({ amount, mode: "fast" });
            } catch (error) {
              results.push((error as Error).message);
            }
          }
          await t.close();
        },
      }))
      .seeds([3])
      .logSeeds(false)
      .run();
    expect(report.failed, report.format()).toBe(0);
    expect(results[0]).toEqual({ total: 2n, items: { n: 2 } });
    expect(results[1]).toEqual({ total: 5n, items: { n: 5 } });
    expect(results[2]).toBe(18446744073709551615n);
    expect(results[3]).toMatch(/req\.amount: expected u32 \(integer 0\.\.4294967295\), got number -1/);
    expect(results[4]).toMatch(/req\.amount: expected u32 \(integer 0\.\.4294967295\), got number 1\.5/);
    expect(results).toHaveLength(5);
  });
});
