import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Window } from "happy-dom";
import { beforeAll, describe, expect, it } from "vitest";
import { timelineHtml } from "../src/report/html.ts";
import { perfettoTrace } from "../src/report/perfetto.ts";
import { buildTimeline, type Timeline } from "../src/report/timeline.ts";
import { readTraceFile } from "../src/trace-file.ts";
import { filterTrace } from "../src/trace-filter.ts";
import { moonpool } from "./helpers/moonpool.ts";

// One real trace of the timeline fixture (two servers, a client, a partition, a crash reboot,
// a failure), written by the binary as a user would.
let dir: string;
let tracePath: string;
let timeline: Timeline;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "moonpool-report-"));
  tracePath = join(dir, "trace.json");
  const r = moonpool(["run", "timeline", "--trace", tracePath, "--no-progress"]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(
    /seed 1: trace in .*trace\.json; timeline: moonpool report .*trace\.json --seed 1 --out seed-1\.html/,
  );
  const trace = readTraceFile(tracePath, "trace.json");
  timeline = buildTimeline(trace.file, "1", trace.seeds["1"]!, trace.results!["1"]);
}, 60_000);

describe("the trace file and moonpool trace", () => {
  it("keeps each seed's events and outcome", () => {
    const trace = readTraceFile(tracePath, "trace.json");
    expect(Object.keys(trace.seeds).length).toBe(2);
    expect(trace.results!["1"]!.ok).toBe(false);
    expect(trace.results!["1"]!.error).toMatch(/stale read/);
    expect(trace.results!["1"]!.replay).toBe("moonpool replay timeline.sim.ts --seed 1");
  });

  it("filters by actor (its IP too), name, time window and text", () => {
    const events = readTraceFile(tracePath, "trace.json").seeds["1"]!;
    const server1 = filterTrace(events, { actor: "server-1" });
    expect(server1.some((e) => e.source === "server-1")).toBe(true);
    expect(server1.some((e) => e.name === "process_down")).toBe(true); // named by IP only
    expect(server1.every((e) => e.source !== "client")).toBe(true);
    const requests = filterTrace(events, { name: "request", fromMs: 20, toMs: 60 });
    expect(requests.map((e) => e.timeMs)).toEqual([30, 45, 60]);
    expect(filterTrace(events, { grep: "PARTITION_HEALED" })).toHaveLength(2);
  });

  it("moonpool trace prints the matching lines; bad values exit 2 naming the flag", () => {
    const r = moonpool(["trace", tracePath, "--seed", "1", "--name", "request", "--from", "40"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(4);
    expect(r.stdout).toMatch(/^ +45\.000 ms {2}#\d+ \[client\] request \{"i":2,"to":"server-0"\}$/m);
    const none = moonpool(["trace", tracePath, "--grep", "no such text"]);
    expect(none.code).toBe(1);
    const badTime = moonpool(["trace", tracePath, "--from", "soon"]);
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toMatch(/^moonpool: --from: expected a virtual time in ms/);
    const missing = moonpool(["trace", join(dir, "gone.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such trace file .*gone\.json/);
    const badSeed = moonpool(["trace", tracePath, "--seed", "99"]);
    expect(badSeed.code).toBe(2);
    expect(badSeed.stderr).toMatch(/has no seed 99/);
  }, 60_000);
});

describe("the timeline of a seed", () => {
  it("has a lane per process and workload, up and down intervals, partitions, messages, the failure", () => {
    expect(timeline.lanes.map((l) => l.name)).toEqual(["server-0", "server-1", "client", "sim"]);
    expect(timeline.down).toEqual([{ lane: "server-1", fromMs: 30, toMs: 90, label: "down (crash)" }]);
    expect(timeline.up.filter((u) => u.lane === "server-1")).toEqual([
      { lane: "server-1", fromMs: 0, toMs: 30, label: "up (generation 1)" },
    ]);
    expect(timeline.partitions).toEqual([
      { from: "server-0", to: "server-1", fromMs: 10, toMs: 40 },
      { from: "server-1", to: "server-0", fromMs: 10, toMs: 40 },
    ]);
    expect(timeline.messages).toHaveLength(6);
    expect(timeline.messages[0]).toMatchObject({ from: "client", to: "server-0", timeMs: 15 });
    expect(timeline.result!.ok).toBe(false);
    expect(timeline.endMs).toBe(90);
  });

  it("exports Chrome trace events Perfetto reads: pids per lane, slices, instants, flows, counters", () => {
    const doc = perfettoTrace(timeline);
    const events = doc.traceEvents;
    expect(doc.displayTimeUnit).toBe("ms");
    for (const e of events) {
      expect(["M", "X", "b", "e", "i", "s", "f", "C"]).toContain(e.ph);
      expect(Number.isInteger(e.ts) && e.ts >= 0).toBe(true);
      expect(Number.isInteger(e.pid) && Number.isInteger(e.tid)).toBe(true);
      if (e.ph === "X") expect(e.dur).toBeGreaterThanOrEqual(0);
    }
    const names = events.filter((e) => e.name === "process_name").map((e) => e.args!.name);
    expect(names).toEqual([
      "server-0 10.0.1.1",
      "server-1 10.0.1.2",
      "client (workload)",
      "sim (sim)",
      "counters",
    ]);
    // Async slices pair up by id; flows too.
    const pairs = (b: string, e: string) => {
      const open = events.filter((x) => x.ph === b).map((x) => x.id);
      const close = events.filter((x) => x.ph === e).map((x) => x.id);
      expect(open.sort()).toEqual(close.sort());
      return open.length;
    };
    expect(pairs("b", "e")).toBe(3); // one down interval, two partition directions
    expect(pairs("s", "f")).toBe(6);
    const down = events.find((e) => e.ph === "b" && e.name === "down (crash)")!;
    expect(down.ts).toBe(30_000); // virtual ms as µs
    const failure = events.find((e) => e.cat === "failure")!;
    expect(failure).toMatchObject({ ph: "i", s: "g", ts: 90_000 });
    expect(String(failure.args!.replay)).toBe("moonpool replay timeline.sim.ts --seed 1");
    // "processes up": both servers boot at 0, server-1 crashes at 30, server-0 runs to the end.
    expect(events.filter((e) => e.ph === "C").map((e) => [e.ts, e.args!.up])).toEqual([
      [0, 1],
      [0, 2],
      [30_000, 1],
      [90_000, 0],
    ]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});

describe("the HTML page (run in happy-dom)", () => {
  async function load(html: string) {
    const window = new Window({
      url: "file:///seed.html",
      settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true },
    });
    const errors: unknown[] = [];
    window.console.error = (...args: unknown[]) => void errors.push(args);
    window.addEventListener("error", (e) => void errors.push((e as unknown as { error: unknown }).error));
    window.document.write(html);
    await window.happyDOM.waitUntilComplete();
    return { window, document: window.document, errors };
  }

  it("renders lanes, a partition band, a reboot band and the failure marker without errors", async () => {
    const { window, document, errors } = await load(timelineHtml(timeline));
    expect(errors).toEqual([]);
    expect([...document.querySelectorAll("g.lane")].map((g) => g.getAttribute("data-lane"))).toEqual([
      "server-0",
      "server-1",
      "client",
      "sim",
    ]);
    expect(document.querySelectorAll(".partition-band")).toHaveLength(2);
    expect(document.querySelector(".reboot-band")!.getAttribute("data-lane")).toBe("server-1");
    expect(document.getElementById("failure-marker")).not.toBeNull();
    expect(document.querySelector("#failure pre")!.textContent).toMatch(/stale read/);
    expect(document.querySelectorAll("line.message")).toHaveLength(6);
    expect(document.querySelectorAll(".fault-mark").length).toBeGreaterThan(0);
    expect(document.querySelectorAll(".event-node")).toHaveLength(timeline.events.length);
    await window.happyDOM.close();
  });

  it("the filter box hides the events that do not match, in the chart and the table", async () => {
    const { window, document } = await load(timelineHtml(timeline));
    const filter = document.getElementById("filter") as unknown as {
      value: string;
      dispatchEvent(e: unknown): void;
    };
    filter.value = "request";
    filter.dispatchEvent(new window.Event("input"));
    const visible = [...document.querySelectorAll(".event-node:not(.hidden)")];
    expect(visible.map((n) => n.getAttribute("data-name"))).toEqual(Array(6).fill("request"));
    expect(document.querySelectorAll("tr.event-row:not(.hidden)")).toHaveLength(6);
    expect(document.getElementById("shown")!.textContent).toBe(`(6 of ${timeline.events.length})`);
    (document.getElementById("zoom-in") as unknown as { click(): void }).click();
    const width = Number(document.getElementById("timeline")!.getAttribute("width"));
    (document.getElementById("zoom-reset") as unknown as { click(): void }).click();
    expect(Number(document.getElementById("timeline")!.getAttribute("width"))).toBeLessThan(width);
    await window.happyDOM.close();
  });

  it("a long seed's table lists at most 2000 events, and a tooltip is written on first hover", async () => {
    const many = Array.from({ length: 2500 }, (_, i) => ({
      seq: i,
      timeMs: i,
      source: "client",
      name: i % 2 === 0 ? "even" : "odd",
      fields: { i },
    }));
    const long = buildTimeline("long.sim.ts", "1", many, { ok: true, traceHash: "0", simulatedMs: 2500 });
    const { window, document, errors } = await load(timelineHtml(long));
    expect(errors).toEqual([]);
    expect(document.querySelectorAll(".event-node")).toHaveLength(2500);
    expect(document.querySelectorAll("tr.event-row")).toHaveLength(2000);
    expect(document.getElementById("shown")!.textContent).toBe(
      "(first 2000 of 2500 matching, of 2500; filter to narrow)",
    );
    const filter = document.getElementById("filter") as unknown as {
      value: string;
      dispatchEvent(e: unknown): void;
    };
    filter.value = "odd";
    filter.dispatchEvent(new window.Event("input"));
    expect(document.querySelectorAll("tr.event-row")).toHaveLength(1250);
    expect(document.getElementById("shown")!.textContent).toBe("(1250 of 2500)");
    const node = document.querySelector('.event-node[data-seq="7"]')!;
    expect(node.querySelector("title")).toBeNull();
    node.dispatchEvent(new window.MouseEvent("mouseover", { bubbles: true }));
    expect(node.querySelector("title")!.textContent).toBe('#7 7 ms [client] odd {"i":7}');
    await window.happyDOM.close();
  });

  it("is self-contained: no external script, style or image, the data cannot close its script tag", () => {
    const html = timelineHtml({ ...timeline, file: "</script><b>x</b>" });
    expect(html).not.toMatch(/<script[^>]+src=|<link |<img /);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain("https://ui.perfetto.dev"); // only the button's hand-off target
  });
});

describe("moonpool report (end to end)", () => {
  it("writes the page and the Perfetto file from a trace file or by replaying a simulation's seed", () => {
    const fromTrace = moonpool(["report", tracePath, "--perfetto", "p.json", "--out", "page.html"], {
      cwd: dir,
    });
    expect(fromTrace.code).toBe(0);
    expect(readFileSync(join(dir, "page.html"), "utf8")).toMatch(/^<!doctype html>/);
    expect(JSON.parse(readFileSync(join(dir, "p.json"), "utf8")).traceEvents.length).toBeGreaterThan(10);
    const fromSim = moonpool(["report", "timeline", "--seed", "1", "--out", join(dir, "sim.html")]);
    expect(fromSim.code).toBe(0);
    expect(existsSync(join(dir, "sim.html"))).toBe(true);
    const noSeed = moonpool(["report", "timeline"]);
    expect(noSeed.code).toBe(2);
    expect(noSeed.stderr).toMatch(/needs --seed N/);
  }, 60_000);
});
