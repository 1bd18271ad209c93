import { NetworkAddress } from "@moonpool/core";
import * as v from "valibot";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineService, method } from "../src/index.ts";
import { schemaDecoder } from "../src/rpc/standardSchema.ts";
import { outcome, rpcWorld, SERVER_ADDR } from "./support/rpcWorld.ts";

let env: Awaited<ReturnType<typeof rpcWorld>>;
afterEach(async () => {
  await env?.dispose();
});

const schemas = {
  zod: {
    req: z.object({ items: z.array(z.object({ qty: z.number() })) }),
    resp: z.number(),
  },
  valibot: {
    req: v.object({ items: v.array(v.object({ qty: v.number() })) }),
    resp: v.number(),
  },
};

describe.each(Object.entries(schemas))("method() with %s schemas", (_name, s) => {
  it("serves valid requests and rejects invalid ones without taking the method down", async () => {
    env = await rpcWorld();
    const Sum = defineService("Sum", { total: method(s.req, s.resp) });
    Sum.wellKnown(env.server, 12).serve({ total: ({ items }) => items.reduce((a, i) => a + i.qty, 0) });
    const api = Sum.clientWellKnown(env.client, NetworkAddress.parse(SERVER_ADDR), 12);
    const bad = outcome(api.total.getReply({ items: [{ qty: 1 }, { qty: "2" }] } as never));
    const good = outcome(api.total.getReply({ items: [{ qty: 1 }, { qty: 2 }] }));
    await env.tick();
    expect(bad.get()).toMatchObject({ ok: false });
    expect(good.get()).toEqual({ ok: true, value: 3 });
  });

  it("reports issues with a precise path", () => {
    const decode = schemaDecoder(s.req, "req");
    expect(() => decode({ items: [{ qty: 1 }, { qty: 1 }, { qty: 1 }, { qty: "x" }] })).toThrow(
      /^req\.items\[3\]\.qty: /,
    );
    expect(decode({ items: [] })).toEqual({ items: [] });
  });
});

it("method() names the argument that is not a Standard Schema", () => {
  expect(() => method(z.number(), {} as never)).toThrow(/response/);
  expect(() => method({} as never, z.number())).toThrow(/request/);
});
