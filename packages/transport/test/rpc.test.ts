import { Endpoint, NetworkAddress, UID } from "@moonpool/core";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  BinaryCodec,
  defineService,
  envelopeValue,
  JsonCodec,
  MessagingError,
  method,
  ReplyError,
} from "../src/index.ts";
import { CLIENT_ADDR, outcome, rpcWorld, SERVER_ADDR } from "./support/rpcWorld.ts";

const Echo = defineService("Echo", {
  echo: method<string, string>(),
  fail: method<string, string>(),
  hold: method<string, string>(),
});

const handlers = {
  echo: (s: string) => s,
  fail: (s: string) => {
    throw new Error(`no ${s}`);
  },
  // never answers; gives up (throws) when the server stops
  hold: (_s: string, { signal }: { signal: AbortSignal }) =>
    new Promise<string>((_, reject) => signal.addEventListener("abort", () => reject(new Error("stopped")))),
};

let env: Awaited<ReturnType<typeof rpcWorld>>;
afterEach(async () => {
  await env?.dispose();
});

async function setup(options: Parameters<typeof rpcWorld>[0] = {}) {
  env = await rpcWorld(options);
  const server = Echo.wellKnown(env.server, 4);
  const handle = server.serve(handlers);
  const client = Echo.clientWellKnown(env.client, NetworkAddress.parse(SERVER_ADDR), 4);
  return { ...env, serverIface: server, handle, api: client };
}

const kind = (r: { ok: boolean; error?: unknown } | undefined) =>
  r && !r.ok ? ((r.error as ReplyError | MessagingError).kind ?? String(r.error)) : r;

describe("delivery modes: success and application errors", () => {
  it("all four modes reach the server; errors are Application", async () => {
    const { api, tick, serverIface } = await setup();
    const a = outcome(api.echo.getReply("a"));
    await tick();
    expect(a.get()).toEqual({ ok: true, value: "a" });
    const b = outcome(api.echo.tryGetReply("b"));
    const c = outcome(api.echo.getReplyUnlessFailedFor("c", 1000));
    await tick();
    expect(b.get()).toEqual({ ok: true, value: "b" });
    expect(c.get()).toEqual({ ok: true, value: "c" });
    api.echo.send("d");
    await tick();
    expect(serverIface.echo.stats.received).toBe(4);
    for (const call of [
      () => api.fail.getReply("x"),
      () => api.fail.tryGetReply("x"),
      () => api.fail.getReplyUnlessFailedFor("x", 10),
    ]) {
      const r = outcome(call());
      await tick();
      expect(kind(r.get())).toBe("Application");
      expect((r.get() as { error: ReplyError }).error.detail).toBe("no x");
    }
  });

  it("replies travel to the client's listening address over a server-side outbound peer", async () => {
    const { api, tick, server, client } = await setup();
    const r = outcome(api.echo.getReply("x"));
    await tick();
    expect(r.get()?.ok).toBe(true);
    const sm = server.peerMetrics();
    expect(Object.keys(sm.outbound)).toEqual([CLIENT_ADDR]);
    expect(Object.keys(sm.incoming)).toHaveLength(1);
    expect(Object.keys(sm.incoming)[0]).not.toBe(CLIENT_ADDR); // ephemeral
    expect(Object.keys(client.peerMetrics().outbound)).toEqual([SERVER_ADDR]);
  });

  it("unregisters reply tokens once settled (no leak)", async () => {
    const { api, tick, client } = await setup();
    const before = client.endpoints.dynamicCount;
    for (let i = 0; i < 5; i++) {
      const r = outcome(api.echo.getReply(`m${i}`));
      await tick();
      expect(r.get()).toEqual({ ok: true, value: `m${i}` });
    }
    expect(client.endpoints.dynamicCount).toBe(before);
    expect(client.pendingReplies).toBe(0);
  });
});

describe("BrokenPromise: how a dropped reply is reported", () => {
  it("reply.break() in a manual loop: getReply → BrokenPromise; tryGetReply → MaybeDelivered, endpoint not poisoned", async () => {
    env = await rpcWorld();
    const Svc = defineService("Manual", { op: method<number, number>() });
    const server = Svc.wellKnown(env.server, 5);
    void (async () => {
      for await (const { request, reply } of server.op) {
        if (request < 0) reply.break();
        else reply.send(request * 2);
      }
    })();
    const api = Svc.clientWellKnown(env.client, NetworkAddress.parse(SERVER_ADDR), 5);
    const a = outcome(api.op.getReply(-1));
    const b = outcome(api.op.tryGetReply(-1));
    const c = outcome(api.op.getReplyUnlessFailedFor(-1, 100));
    await env.tick();
    expect(kind(a.get())).toBe("BrokenPromise");
    expect(kind(b.get())).toBe("MaybeDelivered");
    expect(kind(c.get())).toBe("MaybeDelivered");
    // moonpool would now fast-fail every tryGetReply to this endpoint; we do not
    const d = outcome(api.op.tryGetReply(21));
    await env.tick();
    expect(d.get()).toEqual({ ok: true, value: 42 });
  });

  it("closing a stream breaks queued and handed-out promises; later requests get EndpointNotFound", async () => {
    env = await rpcWorld();
    const Svc = defineService("Manual", { op: method<number, number>() });
    const server = Svc.wellKnown(env.server, 5);
    const api = Svc.clientWellKnown(env.client, NetworkAddress.parse(SERVER_ADDR), 5);
    const first = outcome(api.op.getReply(1));
    const second = outcome(api.op.getReply(2));
    await env.tick();
    const taken = server.op.tryRecv(); // handed out, never answered
    expect(taken?.request).toBe(1);
    expect(server.op.length).toBe(1);
    server.op.close();
    await env.tick();
    expect(kind(first.get())).toBe("BrokenPromise");
    expect(kind(second.get())).toBe("BrokenPromise");
    expect(taken!.reply.send(5)).toBe(false); // already broken
    const late = outcome(api.op.getReply(3));
    await env.tick();
    expect(kind(late.get())).toBe("EndpointNotFound");
  });

  it("ServerHandle.stop(): in-progress and queued requests get BrokenPromise, endpoints are unregistered", async () => {
    const { api, tick, handle, serverIface, server } = await setup();
    const held = outcome(api.hold.getReply("x"));
    const queued = outcome(api.hold.getReply("y"));
    await tick();
    expect(serverIface.hold.outstanding).toBe(2);
    await handle.stop();
    expect(handle.running).toBe(0); // stop() resolved after the running handler settled
    await tick();
    expect(kind(held.get())).toBe("BrokenPromise");
    expect(kind(queued.get())).toBe("BrokenPromise");
    expect(server.endpoints.get(Echo.methodToken(UID.wellKnown(4), "echo"))).toBeUndefined();
    const after = outcome(api.echo.tryGetReply("z"));
    await tick();
    expect(kind(after.get())).toBe("MaybeDelivered");
  });

  it("a stopped well-known service is not poisoned: once it serves again the same client reaches it", async () => {
    const { api, tick, handle, client } = await setup();
    const warm = outcome(api.echo.tryGetReply("warm"));
    await tick();
    expect(warm.get()).toEqual({ ok: true, value: "warm" });
    await handle.stop();
    const missing = outcome(api.echo.getReply("a"));
    const missingTry = outcome(api.echo.tryGetReply("b"));
    await tick();
    expect(kind(missing.get())).toBe("EndpointNotFound");
    expect(kind(missingTry.get())).toBe("MaybeDelivered");
    expect(client.failureMonitor.permanentlyFailed(api.echo.endpoint)).toBe(false);
    const handle2 = Echo.wellKnown(env.server, 4).serve(handlers);
    const back = outcome(api.echo.tryGetReply("back"));
    await tick();
    expect(back.get()).toEqual({ ok: true, value: "back" });
    await handle2.stop();
  });

  it("a handler that throws a ReplyError sends it as is", async () => {
    env = await rpcWorld();
    const Svc = defineService("T", { op: method<null, null>() });
    Svc.wellKnown(env.server, 6).serve({
      op: () => {
        throw new ReplyError("Timeout");
      },
    });
    const r = outcome(
      Svc.clientWellKnown(env.client, NetworkAddress.parse(SERVER_ADDR), 6).op.getReply(null),
    );
    await env.tick();
    expect(kind(r.get())).toBe("Timeout");
  });
});

describe("a reply over the frame cap", () => {
  it("is answered at once with ReplyTooLarge (traced and counted), not left to time out", async () => {
    const traced: { event: string; fields: Record<string, unknown> }[] = [];
    env = await rpcWorld({
      peerConfig: { reconnectJitter: 0, monitor: null, maxPayloadSize: 1024 },
      trace: (event, fields) => traced.push({ event, fields }),
    });
    const Svc = defineService("Big", { blob: method<number, string>() });
    Svc.wellKnown(env.server, 7).serve({ blob: (n) => "x".repeat(n) });
    const api = Svc.clientWellKnown(env.client, NetworkAddress.parse(SERVER_ADDR), 7);
    const small = outcome(api.blob.getReply(10, { timeoutMs: 60_000 }));
    const big = outcome(api.blob.getReply(5000, { timeoutMs: 60_000 }));
    const bigTry = outcome(api.blob.tryGetReply(5000, { timeoutMs: 60_000 }));
    await env.tick(10);
    expect(small.get()).toEqual({ ok: true, value: "x".repeat(10) });
    for (const r of [big, bigTry]) {
      expect(kind(r.get())).toBe("ReplyTooLarge");
      expect((r.get() as { error: ReplyError }).error.detail).toMatch(/5\d{3} bytes.*1024/);
    }
    expect(env.server.stats.repliesTooLarge).toBe(2);
    expect(traced.filter((t) => t.event === "transport.reply_too_large")).toHaveLength(2);
    expect(traced[0]!.fields).toMatchObject({ to: expect.stringContaining(CLIENT_ADDR), max: 1024 });
    // It travels as a ReplyError of its own.
    const e = new ReplyError("ReplyTooLarge", "n bytes");
    expect(ReplyError.fromWire(e.toWire())).toMatchObject({ kind: "ReplyTooLarge", detail: "n bytes" });
  });
});

describe("a flood of requests to a slow method", () => {
  it("queues at most maxQueuedRequests per method; the rest get BrokenPromise at once (not run)", async () => {
    env = await rpcWorld({ maxQueuedRequests: 3 });
    const Svc = defineService("Slow", { op: method<number, number>() });
    let ran = 0;
    const server = Svc.wellKnown(env.server, 7);
    server.serve({
      op: async (n) => {
        ran++;
        await env.world.time.sleep(1000);
        return n;
      },
    });
    const api = Svc.clientWellKnown(env.client, NetworkAddress.parse(SERVER_ADDR), 7);
    const calls = Array.from({ length: 10 }, (_, i) => outcome(api.op.getReply(i, { timeoutMs: 60_000 })));
    await env.tick(10);
    const early = calls.map((c) => kind(c.get()));
    // One running, three queued: six are refused at once.
    expect(early.filter((k) => k === "BrokenPromise")).toHaveLength(6);
    expect(server.op.stats.overflowed).toBe(6);
    await env.tick(5000);
    expect(calls.filter((c) => c.get()?.ok)).toHaveLength(4);
    expect(ran).toBe(4);
    await expect(rpcWorld({ maxQueuedRequests: 0 })).rejects.toThrow(/maxQueuedRequests/);
  });
});

describe("timeouts and cancellation", () => {
  it("per-call timeout rejects Timeout; a late reply is refused with ENDPOINT_NOT_FOUND", async () => {
    env = await rpcWorld();
    const Svc = defineService("Slow", { op: method<number, number>() });
    const server = Svc.wellKnown(env.server, 7);
    const api = Svc.clientWellKnown(env.client, NetworkAddress.parse(SERVER_ADDR), 7);
    const r = outcome(api.op.getReply(1, { timeoutMs: 500 }));
    await env.tick(499);
    expect(r.get()).toBeUndefined();
    await env.tick(1);
    expect(kind(r.get())).toBe("Timeout");
    const got = server.op.tryRecv()!;
    got.reply.send(2); // late
    await env.tick();
    const clientEp = new Endpoint(NetworkAddress.parse(CLIENT_ADDR), got.reply.replyTo.token);
    expect(env.server.failureMonitor.permanentlyFailed(clientEp)).toBe(true);
  });

  it("the transport default timeout applies; null disables it", async () => {
    env = await rpcWorld({ rpcTimeoutMs: 2000 });
    const Svc = defineService("Slow", { op: method<number, number>() });
    Svc.wellKnown(env.server, 7);
    const api = Svc.clientWellKnown(env.client, NetworkAddress.parse(SERVER_ADDR), 7);
    const a = outcome(api.op.getReply(1));
    const b = outcome(api.op.getReply(1, { timeoutMs: null }));
    await env.tick(2000);
    expect(kind(a.get())).toBe("Timeout");
    await env.tick(100_000);
    expect(b.get()).toBeUndefined();
  });

  it("an AbortSignal cancels the call with Cancelled and frees the reply token", async () => {
    const { api, tick, client } = await setup();
    const before = client.endpoints.dynamicCount;
    const ctl = new AbortController();
    const r = outcome(api.hold.getReply("x", { signal: ctl.signal }));
    await tick();
    expect(client.endpoints.dynamicCount).toBe(before + 1);
    ctl.abort();
    await tick();
    expect(kind(r.get())).toBe("Cancelled");
    expect(client.endpoints.dynamicCount).toBe(before);
    const pre = new AbortController();
    pre.abort();
    const sent = client.stats.packetsSent;
    const r2 = outcome(api.echo.getReply("x", { signal: pre.signal }));
    await tick();
    expect(kind(r2.get())).toBe("Cancelled");
    expect(client.stats.packetsSent).toBe(sent); // an aborted signal sends nothing
    expect(client.endpoints.dynamicCount).toBe(before);
  });

  it("a bad timeoutMs is refused before anything is sent or registered", async () => {
    const { api, tick, client } = await setup();
    const before = client.endpoints.dynamicCount;
    const sent = client.stats.packetsSent;
    for (const timeoutMs of [-1, Number.NaN, 1.5e300 * 1e10]) {
      const r = outcome(api.echo.getReply("x", { timeoutMs }));
      await tick();
      expect((r.get() as { error: Error }).error.message).toMatch(/timeoutMs/);
    }
    expect(() => api.echo.sendRequest("x", { timeoutMs: -5 })).toThrow(/timeoutMs/);
    expect(client.stats.packetsSent).toBe(sent);
    expect(client.endpoints.dynamicCount).toBe(before);
    expect(client.pendingReplies).toBe(0);
  });
});

describe("unreachable server", () => {
  it("tryGetReply: MaybeDelivered once the connect fails, then fast-fails, and recovers when the server appears", async () => {
    env = await rpcWorld();
    const api = Echo.clientWellKnown(env.client, NetworkAddress.parse("10.0.9.9:4500"), 4);
    const first = outcome(api.echo.tryGetReply("x"));
    await env.tick();
    expect(kind(first.get())).toBe("MaybeDelivered");
    expect(env.client.failureMonitor.addressStatus("10.0.9.9:4500")).toBe("failed");
    const second = outcome(api.echo.tryGetReply("x"));
    await Promise.resolve();
    await Promise.resolve();
    expect(kind(second.get())).toBe("MaybeDelivered"); // fast path, nothing sent
    // the fast path asked the peer to reconnect: once the server exists, calls succeed again
    const late = await env.open("10.0.9.9:4500");
    Echo.wellKnown(late, 4).serve(handlers);
    await env.tick(10_000);
    expect(env.client.failureMonitor.addressStatus("10.0.9.9:4500")).toBe("available");
    const third = outcome(api.echo.tryGetReply("y"));
    await env.tick();
    expect(third.get()).toEqual({ ok: true, value: "y" });
  });

  it("getReply: Timeout; getReplyUnlessFailedFor: MaybeDelivered ms after the failure", async () => {
    env = await rpcWorld({ rpcTimeoutMs: 60_000 });
    const api = Echo.clientWellKnown(env.client, NetworkAddress.parse("10.0.9.9:4500"), 4);
    const a = outcome(api.echo.getReply("x", { timeoutMs: 5000 }));
    const b = outcome(api.echo.getReplyUnlessFailedFor("x", 1000));
    await env.tick(999);
    expect(b.get()).toBeUndefined();
    await env.tick(1);
    expect(kind(b.get())).toBe("MaybeDelivered");
    expect(a.get()).toBeUndefined();
    await env.tick(4000);
    expect(kind(a.get())).toBe("Timeout");
  });
});

describe("connection dropped while a request is in flight", () => {
  it("tryGetReply → MaybeDelivered at once, getReplyUnlessFailedFor after ms, getReply times out", async () => {
    const { api, tick, world } = await setup({ rpcTimeoutMs: 10_000 });
    const warm = outcome(api.echo.getReply("warm"));
    await tick();
    expect(warm.get()?.ok).toBe(true);
    const a = outcome(api.hold.tryGetReply("a"));
    const b = outcome(api.hold.getReplyUnlessFailedFor("b", 3000));
    const c = outcome(api.hold.getReply("c"));
    await tick();
    world.net.breakConnections(CLIENT_ADDR);
    world.net.breakConnections(SERVER_ADDR);
    await tick();
    expect(kind(a.get())).toBe("MaybeDelivered");
    expect(b.get()).toBeUndefined();
    await tick(3000);
    expect(kind(b.get())).toBe("MaybeDelivered");
    expect(c.get()).toBeUndefined();
    await tick(7000);
    expect(kind(c.get())).toBe("Timeout");
    // the link heals on the next send
    const d = outcome(api.echo.getReply("d"));
    await tick(1000);
    expect(d.get()).toEqual({ ok: true, value: "d" });
  });
});

describe("server restart", () => {
  it("graceful stop answers BrokenPromise; a new server at the same address serves again", async () => {
    const { tick, open } = await setup();
    // the default server has no grace period; use one that has
    const graceful = await open("10.0.1.2:4500", { closeGraceMs: 1000 });
    Echo.wellKnown(graceful, 4).serve(handlers);
    const remote = Echo.clientWellKnown(env.client, NetworkAddress.parse("10.0.1.2:4500"), 4);
    const held = outcome(remote.hold.getReply("x"));
    await tick();
    const closing = graceful.close(); // graceful: breaks held promises and flushes them
    await tick(1000);
    await closing;
    expect(kind(held.get())).toBe("BrokenPromise");
    const down = outcome(remote.echo.tryGetReply("y"));
    await tick(100);
    expect(kind(down.get())).toBe("MaybeDelivered");
    const restarted = await open("10.0.1.2:4500");
    Echo.wellKnown(restarted, 4).serve(handlers);
    const up = outcome(remote.echo.getReply("z"));
    await tick(5000);
    expect(up.get()).toEqual({ ok: true, value: "z" });
  });

  it("crash (sockets reset, nothing answered): tryGetReply MaybeDelivered, getReply retried after restart works", async () => {
    const { api, tick, world, server, open } = await setup();
    const warm = outcome(api.echo.getReply("w"));
    await tick();
    expect(warm.get()?.ok).toBe(true);
    const held = outcome(api.hold.tryGetReply("x"));
    await tick();
    // crash: the listener disappears and every socket is reset, no BrokenPromise is sent
    world.net.listeners.get(SERVER_ADDR)?.close();
    world.net.breakConnections(SERVER_ADDR);
    world.net.breakConnections(CLIENT_ADDR);
    await tick();
    expect(kind(held.get())).toBe("MaybeDelivered");
    (server as unknown as { closeGraceMs: number }).closeGraceMs = 0;
    await server.close();
    const restarted = await open(SERVER_ADDR);
    Echo.wellKnown(restarted, 4).serve(handlers);
    const again = outcome(api.echo.getReply("again"));
    await tick(5000);
    expect(again.get()).toEqual({ ok: true, value: "again" });
  });
});

describe("bad requests never take a method down", () => {
  it("garbage payloads are dropped and counted; invalid requests are answered with Serialization", async () => {
    env = await rpcWorld();
    const Strict = defineService("Strict", {
      op: method<number, number>({
        decodeRequest: (v) => {
          if (typeof v !== "number") throw new TypeError("expected a number");
          return v;
        },
      }),
    });
    const server = Strict.wellKnown(env.server, 8);
    server.serve({ op: (n) => n + 1 });
    const api = Strict.clientWellKnown(env.client, NetworkAddress.parse(SERVER_ADDR), 8);
    const token = Strict.methodToken(UID.wellKnown(8), "op");
    const target = new Endpoint(NetworkAddress.parse(SERVER_ADDR), token);
    env.client.sendReliable(target, new TextEncoder().encode("{not json"));
    env.client.sendReliable(target, new TextEncoder().encode('{"request":1}'));
    const bad = outcome((api.op as unknown as { getReply(x: unknown): Promise<number> }).getReply("one"));
    await env.tick();
    expect(server.op.stats.malformed).toBe(2);
    expect(server.op.stats.rejected).toBe(1);
    expect(kind(bad.get())).toBe("Serialization");
    const good = outcome(api.op.getReply(1));
    await env.tick();
    expect(good.get()).toEqual({ ok: true, value: 2 });
    expect(server.op.closed).toBe(false);
  });

  it.each(["json", "binary"] as const)(
    "fuzzed request payloads (%s codec) never throw, never close the stream, and it still serves",
    async (codecName) => {
      env = await rpcWorld({ codec: codecName === "json" ? new JsonCodec() : new BinaryCodec() });
      const Svc = defineService("Fuzz", { op: method<number, number>() });
      const server = Svc.wellKnown(env.server, 9);
      server.serve({ op: (n) => Number(n) + 1 });
      const token = Svc.methodToken(UID.wellKnown(9), "op");
      // A well-formed envelope (one-way, so mutants that still parse send no replies out).
      const replyTo = new Endpoint(NetworkAddress.parse(CLIENT_ADDR), UID.NONE);
      const valid = env.server.codec.encode(envelopeValue({ a: [1, "x", null], b: 7n }, replyTo));
      const mutant = fc.oneof(
        fc.uint8Array({ maxLength: 96 }),
        fc
          .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
            minLength: 1,
            maxLength: 6,
          })
          .map((edits) => {
            const b = valid.slice();
            for (const [at, v] of edits) b[at] = v;
            return b;
          }),
        fc.nat(valid.length).map((n) => valid.slice(0, n)),
      );
      fc.assert(
        fc.property(mutant, (payload) => {
          expect(env.server.dispatch(token, payload)).toBe(true);
        }),
        { numRuns: 300 },
      );
      await env.tick();
      expect(env.server.stats.receiverErrors).toBe(0);
      expect(server.op.stats.malformed).toBeGreaterThan(0); // the fuzz reached the decode path
      expect(server.op.closed).toBe(false);
      const api = Svc.clientWellKnown(env.client, NetworkAddress.parse(SERVER_ADDR), 9);
      const good = outcome(api.op.getReply(41));
      await env.tick();
      expect(good.get()).toEqual({ ok: true, value: 42 });
    },
  );

  it("a response failing decodeResponse rejects with Serialization on the client", async () => {
    env = await rpcWorld();
    const Svc = defineService("R", {
      op: method<null, number>({
        decodeResponse: (v) => {
          if (typeof v !== "number") throw new TypeError("not a number");
          return v;
        },
      }),
    });
    Svc.wellKnown(env.server, 9).serve({ op: () => "nope" as unknown as number });
    const r = outcome(
      Svc.clientWellKnown(env.client, NetworkAddress.parse(SERVER_ADDR), 9).op.getReply(null),
    );
    await env.tick();
    expect(kind(r.get())).toBe("Serialization");
  });
});

describe("EndpointNotFound feedback", () => {
  it("an unknown dynamic token is reported back and marks the endpoint permanently failed", async () => {
    env = await rpcWorld();
    const Svc = defineService("Ghost", { op: method<null, null>() });
    const api = Svc.fromBase(
      env.client,
      NetworkAddress.parse(SERVER_ADDR),
      new UID(0xdeadbeefn, 0xbad0bad0n),
    );
    const a = outcome(api.op.getReply(null));
    await env.tick();
    expect(kind(a.get())).toBe("EndpointNotFound");
    expect(env.client.failureMonitor.permanentlyFailed(api.op.endpoint)).toBe(true);
    const b = outcome(api.op.tryGetReply(null));
    await Promise.resolve();
    expect(kind(b.get())).toBe("MaybeDelivered");
    expect(env.server.stats.packetsUndelivered).toBeGreaterThanOrEqual(1);
  });

  it("unknown well-known tokens are not reported", async () => {
    env = await rpcWorld();
    const api = Echo.clientWellKnown(env.client, NetworkAddress.parse(SERVER_ADDR), 4);
    const ep = new Endpoint(NetworkAddress.parse(SERVER_ADDR), UID.wellKnown(30));
    env.client.sendReliable(ep, new Uint8Array([1]));
    await env.tick();
    expect(env.client.failureMonitor.failedEndpointCount).toBe(0);
    expect(api.echo.endpoint.token.isWellKnown()).toBe(false);
  });
});

describe("local delivery", () => {
  it("serves calls to its own address without the network; unknown local endpoints fail synchronously", async () => {
    env = await rpcWorld();
    Echo.wellKnown(env.server, 4).serve(handlers);
    const api = Echo.clientWellKnown(env.server, NetworkAddress.parse(SERVER_ADDR), 4);
    const a = outcome(api.echo.getReply("self"));
    const b = outcome(api.echo.tryGetReply("self2"));
    await env.tick();
    expect(a.get()).toEqual({ ok: true, value: "self" });
    expect(b.get()).toEqual({ ok: true, value: "self2" });
    expect(env.world.net.connectLog).toHaveLength(0);
    const Other = defineService("Other", { x: method<null, null>() });
    const missing = Other.clientWellKnown(env.server, NetworkAddress.parse(SERVER_ADDR), 20);
    expect(() => missing.x.send(null)).toThrow(MessagingError);
    const before = env.server.endpoints.dynamicCount;
    await expect(missing.x.getReply(null)).rejects.toMatchObject({ kind: "EndpointNotFound" });
    expect(env.server.endpoints.dynamicCount).toBe(before); // the reply token did not leak
  });
});

describe("transport close", () => {
  it("fails in-flight calls with ConnectionFailed and refuses new sends", async () => {
    const { api, tick, client } = await setup();
    const r = outcome(api.hold.getReply("x"));
    await tick();
    await client.close();
    expect(kind(r.get())).toBe("ConnectionFailed");
    expect(() => api.echo.send("y")).toThrow(MessagingError);
  });
});
