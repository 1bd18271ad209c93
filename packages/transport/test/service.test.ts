import { NetworkAddress, UID } from "@moonpool/core";
import { afterEach, describe, expect, it } from "vitest";
import { BinaryCodec, defineService, JsonCodec, method } from "../src/index.ts";
import { outcome, rpcWorld, SERVER_ADDR } from "./support/rpcWorld.ts";

const Calculator = defineService("Calculator", {
  add: method<{ a: number; b: number }, number>(),
  sub: method<{ a: number; b: number }, number>(),
  div: method<{ a: number; b: number }, number | null>(),
});

let env: Awaited<ReturnType<typeof rpcWorld>>;
afterEach(async () => {
  await env?.dispose();
});

describe("defineService", () => {
  it("numbers methods from 1 in declaration order with base.adjusted(i)", () => {
    const base = new UID(0x1000n, 0x2000n);
    expect(Calculator.METHOD_COUNT).toBe(3);
    expect(Calculator.methods).toEqual(["add", "sub", "div"]);
    expect(Calculator.methodToken(base, "add").equals(new UID(0x1_0000_1000n, 0x2001n))).toBe(true);
    expect(Calculator.methodToken(base, "div").equals(base.adjusted(3))).toBe(true);
    // the method tokens of a well-known service are not well-known (moonpool's arithmetic)
    expect(Calculator.methodToken(UID.wellKnown(4), "add").equals(new UID(0xffff_ffffn, 5n))).toBe(true);
  });

  it("rejects empty services, reserved names and incomplete handlers, naming the problem", async () => {
    expect(() => defineService("E", {})).toThrow(/no methods/);
    expect(() => defineService("E", { serve: method() })).toThrow(/"serve" is reserved/);
    env = await rpcWorld();
    const server = Calculator.init(env.server);
    expect(() => server.serve({ add: () => 0 } as never)).toThrow(/missing method "sub"/);
  });

  it("spawns one task per method named <service>_<method>", async () => {
    env = await rpcWorld();
    Calculator.init(env.server).serve({ add: () => 0, sub: () => 0, div: () => null });
    expect(env.world.tasks.spawned).toEqual(
      expect.arrayContaining(["calculator_add", "calculator_sub", "calculator_div"]),
    );
  });
});

describe("interfaces are data", () => {
  it("a server serializes to {address, base_token} with exact tokens; a client rebuilt from it works", async () => {
    env = await rpcWorld();
    const a = Calculator.init(env.server);
    const b = Calculator.init(env.server);
    expect(a.baseToken.equals(b.baseToken)).toBe(false); // two random bases
    a.serve({
      add: ({ a, b }) => a + b,
      sub: ({ a, b }) => a - b,
      div: ({ a, b }) => (b === 0 ? null : a / b),
    });
    const text = a.toJSONString();
    expect(text).toBe(
      `{"address":{"ip":"10.0.1.1","port":4500,"flags":0},"base_token":{"first":${a.baseToken.first},"second":${a.baseToken.second}}}`,
    );
    const client = Calculator.fromJSON(env.client, text);
    expect(client.isRemote).toBe(true);
    expect(client.baseToken.equals(a.baseToken)).toBe(true);
    expect(client.toJSONString()).toBe(text);
    const sum = outcome(client.add.getReply({ a: 2, b: 3 }));
    const quotient = outcome(client.div.getReplyUnlessFailedFor({ a: 1, b: 0 }, 5000));
    const diff = outcome(client.sub.tryGetReply({ a: 2, b: 3 }));
    await env.tick();
    expect(sum.get()).toEqual({ ok: true, value: 5 });
    expect(quotient.get()).toEqual({ ok: true, value: null });
    expect(diff.get()).toEqual({ ok: true, value: -1 });
    // also from an object (e.g. decoded by a codec)
    expect(Calculator.fromJSON(env.client, a.toJSON()).add.endpoint.equals(client.add.endpoint)).toBe(true);
  });

  it("rejects malformed blobs with an error naming the blob", async () => {
    env = await rpcWorld();
    expect(() => Calculator.fromJSON(env.client, "{")).toThrow(/blob/);
    expect(() => Calculator.fromJSON(env.client, { address: "10.0.0.1:1" })).toThrow(/blob/);
  });
});

describe.each([
  ["json", () => new JsonCodec()],
  ["binary", () => new BinaryCodec()],
])("end to end with the %s codec", (_name, codec) => {
  it("carries bigint, bytes and nested values", async () => {
    env = await rpcWorld({ codec: codec() });
    const Blob = defineService("Blob", {
      put: method<{ id: bigint; data: Uint8Array | number[] }, bigint>(),
    });
    Blob.wellKnown(env.server, 10).serve({ put: ({ id }) => id + 1n });
    const api = Blob.clientWellKnown(env.client, NetworkAddress.parse(SERVER_ADDR), 10);
    const r = outcome(api.put.getReply({ id: (1n << 64n) - 2n, data: new Uint8Array([1, 2, 3]) }));
    await env.tick();
    expect(r.get()).toEqual({ ok: true, value: (1n << 64n) - 1n });
  });
});
