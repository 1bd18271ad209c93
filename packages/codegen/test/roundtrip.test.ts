// A generated client/server pair over the transport on the simulated network, with both codecs:
// every supported type arrives as it was sent, and a bad payload is refused without taking the
// method down.
import { NetworkAddress } from "@moonpool/core";
import { type Process, type SimContext, SimulationBuilder, type Workload } from "@moonpool/sim";
import {
  BinaryCodec,
  defineService,
  JsonCodec,
  type MessageCodec,
  method,
  NetTransport,
} from "@moonpool/transport";
import { describe, expect, it } from "vitest";
import type { Order } from "./fixtures/shop.ts";
import { auditClient, encodeOrder, Shop, serveAudit, serveShop, shopClient } from "./golden/shop.service.ts";
import { sampleOrder } from "./support/orders.ts";

const SHOP_ID = 7;

// The server: Shop at a well-known id, Audit at a random base (the client learns it from a message).
function shopServer(codec: () => MessageCodec, log: string[]): Process {
  return {
    name: "shop",
    async run(ctx: SimContext) {
      const transport = await NetTransport.listen(ctx.providers, {
        localAddress: `${ctx.ip}:4500`,
        codec: codec(),
      });
      const orders = new Map<bigint, Order>();
      const audit = serveAudit(transport, {
        record: ({ event }) => {
          log.push(event);
        },
      });
      const shop = serveShop(
        transport,
        {
          async place(order) {
            orders.set(order.id, order);
            // Interfaces are data: the order names the Audit service to tell.
            await auditClient(transport, order.audit).record.getReply({ event: `placed ${order.id}` });
            return {
              orderId: order.id,
              total: order.items.reduce((t, i) => t + i.qty * i.unitPrice, 0),
              shapes: [order.shape, { kind: "circle", radius: 1 }, { kind: "empty" }],
            };
          },
          echo: (order) => order,
          lookup: ({ id }) => orders.get(id) ?? null,
          count: () => orders.size,
        },
        { wellKnown: SHOP_ID },
      );
      ctx.state.set("audit", audit.server.toJSON());
      await new Promise<void>((resolve) =>
        ctx.shutdown.addEventListener("abort", () => resolve(), { once: true }),
      );
      await shop.handle.stop();
      await audit.handle.stop();
      await transport.close();
    },
  };
}

function shopWorkload(codec: () => MessageCodec, results: Map<string, unknown>): Workload {
  return {
    name: "buyer",
    async run(ctx) {
      const transport = await NetTransport.listen(ctx.providers, {
        localAddress: `${ctx.ip}:4501`,
        codec: codec(),
      });
      await ctx.time.sleep(10);
      const shop = shopClient(transport, { address: `${ctx.peer("shop")}:4500`, wellKnown: SHOP_ID });
      const order = { ...sampleOrder(), audit: ctx.state.get("audit") as Order["audit"] };
      results.set("sent", order);
      results.set("echo", await shop.echo.getReply(order));
      results.set("place", await shop.place.getReply(order));
      results.set("lookup", await shop.lookup.getReply({ id: order.id }));
      results.set("missing", await shop.lookup.getReply({ id: 5n }));
      results.set("count", await shop.count.getReply(null));
      // The same tokens without validators: a wrong-typed request reaches the server's decoder.
      const Raw = defineService("Shop", { place: method<unknown, unknown>() });
      const raw = Raw.clientWellKnown(transport, NetworkAddress.parse(`${ctx.peer("shop")}:4500`), SHOP_ID);
      const bad = encodeOrder(order) as Record<string, unknown>;
      const items = [...(bad.items as Record<string, unknown>[])];
      items[1] = { ...items[1], qty: "4" };
      try {
        await raw.place.getReply({ ...bad, items });
        results.set("bad", "accepted");
      } catch (error) {
        results.set("bad", (error as Error).message);
      }
      results.set("after", await shop.count.getReply(null)); // the method still serves
      await transport.close();
    },
  };
}

describe.each([
  ["json", () => new JsonCodec()],
  ["binary", () => new BinaryCodec()],
])("generated client and server over the simulated network (%s codec)", (_name, codec) => {
  it("carry every supported type exactly and refuse a bad request with its path", async () => {
    const results = new Map<string, unknown>();
    const log: string[] = [];
    const report = await new SimulationBuilder()
      .processes(1, () => shopServer(codec, log))
      .workload(() => shopWorkload(codec, results))
      .seeds([1])
      .logSeeds(false)
      .run();
    expect(report.failed, report.format()).toBe(0);
    const sent = results.get("sent") as Order;
    expect(sent.audit.base_token).not.toEqual(sampleOrder().audit.base_token); // the server's real blob
    expect(results.get("echo")).toEqual(sent);
    expect(results.get("lookup")).toEqual(sent);
    expect(results.get("missing")).toBeNull();
    expect(results.get("place")).toEqual({
      orderId: 18446744073709551615n,
      total: 3 * 0.5 + 4294967295 * 1.25,
      shapes: [{ kind: "rect", width: 2, height: 3 }, { kind: "circle", radius: 1 }, { kind: "empty" }],
    });
    expect(results.get("count")).toBe(1);
    expect(results.get("bad")).toMatch(
      /req\.items\[1\]\.qty: expected u32 \(integer 0\.\.4294967295\), got string "4"/,
    );
    expect(results.get("after")).toBe(1);
    expect(log).toEqual(["placed 18446744073709551615"]);
  });
});

describe("the generated definition", () => {
  it("gives the tokens of transport's defineService: declaration order, base.adjusted(i + 1)", async () => {
    const { UID } = await import("@moonpool/core");
    const base = new UID(0x1000n, 0x2000n);
    expect(Shop.methods).toEqual(["place", "echo", "lookup", "count"]);
    expect(Shop.METHOD_COUNT).toBe(4);
    Shop.methods.forEach((m, i) => {
      expect(Shop.methodToken(base, m).equals(base.adjusted(i + 1))).toBe(true);
    });
  });
});
