// Configurable decoder limits of a generated server (`serveFoo(..., { limits })`) and client
// (`fooClient(..., limits)`): exceeding the depth, array length or string length limit answers the
// request with a `Serialization` error naming the path and the limit, and the method keeps serving.
// Server and client share one transport (local delivery still encodes and decodes every message).
import { nodeProviders } from "@moonpool/core/node";
import { JsonCodec, NetTransport, ReplyError } from "@moonpool/transport";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DecodeLimits } from "../src/runtime/index.ts";
import type { Order } from "./fixtures/shop.ts";
import { counterClient, serveCounter } from "./golden/counter.service.ts";
import { serveShop, shopClient } from "./golden/shop.service.ts";
import { sampleOrder } from "./support/orders.ts";

let transport: NetTransport;
const stops: (() => Promise<void>)[] = [];
beforeEach(async () => {
  transport = await NetTransport.listen(nodeProviders(), {
    localAddress: "127.0.0.1:0",
    codec: new JsonCodec(),
  });
});
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await transport.close();
});

const here = () => transport.localAddress;
const totals = new Map<string, number>();
function counter(id: number, limits?: DecodeLimits) {
  const { handle } = serveCounter(
    transport,
    {
      add: ({ amount, tags }) => ({
        total: BigInt(amount),
        items: Object.fromEntries((tags ?? []).map((t) => [t, 1])),
      }),
      get: ({ key }) => BigInt(totals.get(key) ?? 0),
    },
    { wellKnown: id, ...(limits ? { limits } : {}) },
  );
  stops.push(() => handle.stop());
  return counterClient(transport, { address: here(), wellKnown: id });
}

async function failure(p: Promise<unknown>): Promise<{ kind: string; message: string }> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(ReplyError);
    return { kind: (error as ReplyError).kind, message: (error as Error).message };
  }
  throw new Error("expected the request to fail");
}

describe("server decoder limits", () => {
  it("an array longer than maxArrayLength is refused with its path; the method keeps serving", async () => {
    const c = counter(10, { maxArrayLength: 3 });
    const f = await failure(c.add.getReply({ amount: 1, mode: "fast", tags: ["a", "b", "c", "d"] }));
    expect(f.kind).toBe("Serialization");
    expect(f.message).toContain("req.tags: array longer than 3 (4)");
    expect(await c.add.getReply({ amount: 2, mode: "fast", tags: ["a", "b", "c"] })).toEqual({
      total: 2n,
      items: { a: 1, b: 1, c: 1 },
    });
  });

  it("a string longer than maxStringLength is refused with its path; the method keeps serving", async () => {
    const c = counter(11, { maxStringLength: 5 });
    const f = await failure(c.add.getReply({ amount: 1, mode: "safe", tags: ["ok", "toolong"] }));
    expect(f).toMatchObject({ kind: "Serialization" });
    expect(f.message).toContain("req.tags[1]: string longer than 5 (7)");
    expect((await c.add.getReply({ amount: 3, mode: "safe", tags: ["fine"] })).total).toBe(3n);
    expect(await c.get.getReply({ key: "x" })).toBe(0n); // the other method is untouched
  });

  it("nesting deeper than maxDepth is refused with its path; the method keeps serving", async () => {
    const chain = (n: number): Order => ({ ...sampleOrder(), parent: n === 0 ? null : chain(n - 1) });
    const { handle } = serveShop(
      transport,
      {
        place: () => ({ orderId: 1n, total: 0.5, shapes: [] }),
        echo: (o) => o,
        lookup: () => null,
        count: () => 0,
      },
      { wellKnown: 12, limits: { maxDepth: 8 } },
    );
    stops.push(() => handle.stop());
    const shop = shopClient(transport, { address: here(), wellKnown: 12 });
    const f = await failure(shop.place.getReply(chain(9)));
    expect(f.kind).toBe("Serialization");
    expect(f.message).toMatch(/req(\.parent)+(\.\w+)*: nested deeper than 8/);
    expect(await shop.place.getReply({ ...sampleOrder(), parent: null })).toEqual({
      orderId: 1n,
      total: 0.5,
      shapes: [],
    });
  });

  it("unknownKeys: reject refuses undeclared fields at the boundary", async () => {
    const c = counter(13, { unknownKeys: "reject" });
    const extra = { amount: 1, mode: "fast", extra: true } as Parameters<typeof c.add.getReply>[0];
    const f = await failure(c.add.getReply(extra));
    expect(f.message).toContain("req.extra: unknown field");
    expect((await c.add.getReply({ amount: 4, mode: "fast" })).total).toBe(4n);
  });

  it("the safe defaults apply without limits (a short array and string pass)", async () => {
    const c = counter(14);
    expect(await c.add.getReply({ amount: 1, mode: "fast", tags: ["a", "b", "c", "toolong"] })).toEqual({
      total: 1n,
      items: { a: 1, b: 1, c: 1, toolong: 1 },
    });
  });

  it("a client's limits apply to the responses it decodes", async () => {
    counter(15);
    const strict = counterClient(transport, { address: here(), wellKnown: 15 }, { maxArrayLength: 1 });
    const f = await failure(strict.add.getReply({ amount: 1, mode: "fast", tags: ["a", "b"] }));
    expect(f.kind).toBe("Serialization");
    expect(f.message).toContain("resp.items: map with more than 1 entries (2)");
  });

  it("a bad limit is refused when serving, naming it", () => {
    expect(() => counter(16, { maxDepth: -1 })).toThrow(/limits\.maxDepth: expected a non-negative integer/);
    expect(() => counter(17, { maxArrayLength: 1.5 })).toThrow(/limits\.maxArrayLength/);
    expect(() => counter(18, { unknownKeys: "drop" as "allow" })).toThrow(/limits\.unknownKeys/);
  });
});
