// The HTML timeline in a real browser (headless Debian Chromium through playwright-core): it lays
// out (lanes have height, the failure marker sits inside the chart), runs without a console error,
// and its filter and zoom work. CI installs Chromium (.ci/run) and sets MOONPOOL_REQUIRE_CHROMIUM,
// so there the test cannot be skipped; elsewhere it runs when a Chromium is found.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timelineHtml } from "../src/report/html.ts";
import { buildTimeline } from "../src/report/timeline.ts";
import { readTraceFile } from "../src/trace-file.ts";
import { moonpool } from "./helpers/moonpool.ts";

const executablePath = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  process.env.CHROMIUM_PATH ?? "",
].find((p) => p !== "" && existsSync(p));
const required = process.env.MOONPOOL_REQUIRE_CHROMIUM === "1";

describe.runIf(executablePath !== undefined || required)("the HTML page in headless Chromium", () => {
  let browser: Browser;
  let pageUrl: string;
  let eventCount: number;

  beforeAll(async () => {
    if (executablePath === undefined) throw new Error("MOONPOOL_REQUIRE_CHROMIUM=1 but no Chromium found");
    const dir = mkdtempSync(join(tmpdir(), "moonpool-chromium-"));
    const tracePath = join(dir, "trace.json");
    expect(moonpool(["run", "timeline", "--trace", tracePath, "--no-progress"]).code).toBe(1);
    const trace = readTraceFile(tracePath, "trace.json");
    const timeline = buildTimeline(trace.file, "1", trace.seeds["1"]!, trace.results!["1"]);
    eventCount = timeline.events.length;
    const htmlPath = join(dir, "seed-1.html");
    writeFileSync(htmlPath, timelineHtml(timeline));
    pageUrl = pathToFileURL(htmlPath).href;
    browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("lays out every lane and the failure marker, with no console error, and filters and zooms", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(pageUrl);
    const lanes = await page.$$eval("g.lane", (gs) =>
      gs.map((g) => ({
        lane: g.getAttribute("data-lane"),
        height: (g as unknown as { getBBox(): { height: number } }).getBBox().height,
      })),
    );
    expect(lanes.map((l) => l.lane)).toEqual(["server-0", "server-1", "client", "sim"]);
    for (const l of lanes) expect(l.height, String(l.lane)).toBeGreaterThan(0);
    const marker = await page.$eval(
      "#failure-marker",
      (m) => (m as unknown as { getBoundingClientRect(): { x: number } }).getBoundingClientRect().x,
    );
    const chart = await page.$eval("#timeline", (s) => s.getBoundingClientRect());
    expect(marker).toBeGreaterThanOrEqual(chart.x);
    expect(marker).toBeLessThanOrEqual(chart.x + chart.width);
    expect(await page.$$eval(".event-node", (n) => n.length)).toBe(eventCount);

    await page.fill("#filter", "request");
    expect(
      await page.$$eval(".event-node:not(.hidden)", (n) => n.map((x) => x.getAttribute("data-name"))),
    ).toEqual(Array(6).fill("request"));
    expect(await page.textContent("#shown")).toBe(`(6 of ${eventCount})`);
    const before = Number(await page.getAttribute("#timeline", "width"));
    await page.click("#zoom-in");
    expect(Number(await page.getAttribute("#timeline", "width"))).toBeGreaterThan(before);
    const png = await page.screenshot();
    expect(png.length).toBeGreaterThan(10_000); // a drawn page, not a blank one
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
