import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCacheServer } from "../src/cache-server.ts";
import { type RealService, startRealService } from "../src/real.ts";

describe("the web service on real loopback TCP", () => {
  let service: RealService;
  beforeAll(async () => {
    service = await startRealService();
  });
  afterAll(async () => {
    await service.stop();
  });

  it("PUT then GET an item through undici fetch over the provider's connections", async () => {
    const put = await service.fetch(`${service.url}/items/a`, { method: "PUT", body: "hello" });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ version: 1 });
    const get = await service.fetch(`${service.url}/items/a`);
    expect(await get.json()).toEqual({ value: "hello", version: 1 });
    expect((await service.fetch(`${service.url}/items/missing`)).status).toBe(404);
    expect((await service.fetch(`${service.url}/items/bad%20key`)).status).toBe(400);
    expect((await service.fetch(`${service.url}/items/a`, { method: "DELETE" })).status).toBe(405);
  });

  it("POST /visits counts through ioredis and the cache", async () => {
    const first = (await (await service.fetch(`${service.url}/visits`, { method: "POST" })).json()) as {
      visits: number;
    };
    const second = (await (await service.fetch(`${service.url}/visits`, { method: "POST" })).json()) as {
      visits: number;
    };
    expect(second.visits).toBe(first.visits + 1);
  });
});

describe("the cache speaks enough Redis for ioredis", () => {
  it("PING, SET, GET, INCR, DEL and errors", async () => {
    const cache = startCacheServer(0, "127.0.0.1");
    await new Promise<void>((resolve) => cache.once("listening", () => resolve()));
    const port = (cache.address() as { port: number }).port;
    const redis = new Redis({ host: "127.0.0.1", port });
    expect(await redis.ping()).toBe("PONG");
    expect(await redis.set("k", "v")).toBe("OK");
    expect(await redis.get("k")).toBe("v");
    expect(await redis.incr("n")).toBe(1);
    expect(await redis.incr("n")).toBe(2);
    expect(await redis.del("k", "nope")).toBe(1);
    expect(await redis.get("k")).toBeNull();
    await expect(redis.incr("n").then(() => redis.call("NOSUCH"))).rejects.toThrow(/unknown command/);
    redis.disconnect();
    await new Promise<void>((resolve) => cache.close(() => resolve()));
  });
});
