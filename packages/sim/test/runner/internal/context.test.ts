// A workload or process context's lazily built fields (storage, shutdown) behave as data
// properties when assigned: wrapping a context with its own storage, the way the transport
// tests and users do, gives the wrapper that storage and leaves the context alone.
import type { StorageProvider } from "@moonpool/core";
import { describe, expect, it } from "vitest";
import { SimulationBuilder } from "../../../src/index.ts";

describe("simulation contexts", () => {
  it("a wrapper may shadow storage and shutdown; the context keeps its own", async () => {
    const seen: string[] = [];
    const report = await new SimulationBuilder()
      .workload({
        name: "wrapper",
        async run(ctx) {
          const own = {} as StorageProvider;
          const signal = new AbortController().signal;
          const wrapped = Object.assign(Object.create(ctx), { storage: own, shutdown: signal });
          seen.push(wrapped.storage === own ? "wrapper storage" : "lost storage");
          seen.push(wrapped.shutdown === signal ? "wrapper shutdown" : "lost shutdown");
          seen.push(
            ctx.storage !== own && typeof ctx.storage.open === "function" ? "ctx storage" : "ctx changed",
          );
          seen.push(ctx.shutdown !== signal ? "ctx shutdown" : "ctx changed");
          const providers = Object.assign(Object.create(ctx.providers), { storage: own });
          seen.push(
            providers.storage === own && ctx.providers.storage !== own ? "providers" : "providers lost",
          );
        },
      })
      .seeds([1])
      .logSeeds(false)
      .run();
    expect(report.ok, report.format()).toBe(true);
    expect(seen).toEqual(["wrapper storage", "wrapper shutdown", "ctx storage", "ctx shutdown", "providers"]);
  });
});
