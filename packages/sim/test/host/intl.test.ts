// The host's time zone and locale never reach a seed: TZ is the simulation's (UTC by default),
// the default locale is the simulation's (en-US by default), and Intl formats the virtual now.
import { describe, expect, it } from "vitest";
import { SimulationBuilder } from "../../src/index.ts";

async function localTimes(configure: (b: SimulationBuilder) => SimulationBuilder = (b) => b) {
  let seen: Record<string, unknown> = {};
  const report = await configure(new SimulationBuilder().logSeeds(false).seeds([1]))
    .workload({
      name: "w",
      async run(ctx) {
        await ctx.time.sleep(50 * 60_000); // 00:50 virtual
        const d = new Date();
        seen = {
          hours: d.getHours(),
          offset: d.getTimezoneOffset(),
          text: d.toString(),
          intlNow: new Intl.DateTimeFormat(undefined, { timeStyle: "short", dateStyle: "short" }).format(),
          intlParts: Intl.DateTimeFormat(undefined, { hour: "numeric" })
            .formatToParts()
            .map((p) => p.value)
            .join(""),
          locale: d.toLocaleString(),
          number: (1234.5).toLocaleString(),
          resolved: new Intl.NumberFormat().resolvedOptions().locale,
        };
        // ICU separates "12:50" and "AM" with a narrow no-break space
        for (const [k, v] of Object.entries(seen))
          if (typeof v === "string") seen[k] = v.replace(/[\u202f\u00a0]/g, " ");
        ctx.trace("seen", { text: JSON.stringify(seen) });
      },
    })
    .run();
  expect(report.seeds[0]?.error ?? "ok").toBe("ok");
  return { seen, hash: report.seeds[0]!.traceHash };
}

async function withHostTimeZone<T>(tz: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env.TZ;
  process.env.TZ = tz;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

describe("time zone and locale inside a seed", () => {
  it("are UTC and en-US whatever the host's TZ, and the trace hash does not change", async () => {
    const tokyo = await withHostTimeZone("Asia/Tokyo", () => localTimes());
    const newYork = await withHostTimeZone("America/New_York", () => localTimes());
    expect(tokyo).toEqual(newYork);
    expect(tokyo.seen).toMatchObject({
      hours: 0,
      offset: 0,
      intlNow: "1/1/20, 12:50 AM",
      intlParts: "12 AM",
      locale: "1/1/2020, 12:50:00 AM",
      number: "1,234.5",
      resolved: "en-US",
    });
  });

  it("the host's TZ is back after the run", async () => {
    await withHostTimeZone("Asia/Tokyo", async () => {
      await localTimes();
      await new Promise((resolve) => setImmediate(resolve));
      expect(process.env.TZ).toBe("Asia/Tokyo");
      expect(new Date(0).getHours()).toBe(9);
    });
  });

  it("follow timeZone() and locale() when the simulation asks", async () => {
    const { seen } = await localTimes((b) => b.timeZone("Asia/Tokyo").locale("de-DE"));
    expect(seen).toMatchObject({ hours: 9, offset: -540, number: "1.234,5", resolved: "de-DE" });
    expect(() => new SimulationBuilder().timeZone("Mars/Olympus")).toThrow(/timeZone\(zone\)/);
    expect(() => new SimulationBuilder().locale("not a locale!")).toThrow(/locale\(tag\)/);
  });

  it("outside a seed, Intl and toLocale* are the host's", () => {
    expect(new Intl.NumberFormat("de-DE").format(1234.5)).toBe("1.234,5");
    const year = new Date().getUTCFullYear();
    expect(new Intl.DateTimeFormat("en-US", { year: "numeric", timeZone: "UTC" }).format()).toBe(
      String(year),
    );
  });
});
