// `moonpool report --out seed.html`: how long the self-contained page of a 100k-event seed takes
// to load and draw in headless Chromium (Debian's chromium through playwright-core), against
// loading a static page of the same size (its events as text). Skipped, with a line saying so,
// when no Chromium is installed (`apt-get install chromium`).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildTimeline, timelineHtml } from "@moonpool/cli";
import { chromium, type Page } from "playwright-core";
import type { BenchSuite } from "../harness.ts";
import { bigTrace } from "./big-trace.ts";

const executablePath = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  process.env.CHROMIUM_PATH ?? "",
].find((p) => p !== "" && existsSync(p));
// The flags the machine needs as root and to keep Chromium off the (closed) network.
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Milliseconds from navigation start to the first frame after the load event. */
async function loadMs(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: "load", timeout: 60_000 });
  // Runs in the page (this project's types have no DOM lib: reach rAF through globalThis).
  return page.evaluate(() => {
    const raf = (globalThis as unknown as { requestAnimationFrame(f: () => void): void })
      .requestAnimationFrame;
    return new Promise<number>((resolve) => raf(() => setTimeout(() => resolve(performance.now()), 0)));
  });
}

/** The fastest of `runs` loads of `url` after one warm-up load (the least disturbed by others). */
async function bestLoadMs(page: Page, url: string, runs = 2): Promise<number> {
  await loadMs(page, url);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) best = Math.min(best, await loadMs(page, url));
  return best;
}

const suite: BenchSuite = async (r) => {
  if (executablePath === undefined) {
    console.log("report-page: no Chromium found (apt-get install chromium): skipped");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "moonpool-page-bench-"));
  const browser = await chromium.launch({ executablePath, args: ARGS });
  try {
    const events = bigTrace(100_000);
    const timeline = buildTimeline("big.sim.ts", "1", events, {
      ok: false,
      traceHash: "0",
      simulatedMs: 25_000,
      error: "boom",
    });
    const html = timelineHtml(timeline);
    const reportPath = join(dir, "seed.html");
    writeFileSync(reportPath, html);
    // The baseline: the same number of bytes, as text, with no script.
    const text = JSON.stringify(events).slice(0, html.length).replace(/[<&]/g, " ");
    const staticPath = join(dir, "static.html");
    writeFileSync(staticPath, `<!doctype html><meta charset="utf-8"><pre>${text}</pre>`);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const report = await bestLoadMs(page, pathToFileURL(reportPath).href);
    if (errors.length > 0) throw new Error(`the report page threw: ${errors[0]}`);
    const lanes = await page.$$eval("g.lane", (gs) => gs.length);
    if (lanes === 0) throw new Error("the report page drew no lane");
    const baseline = await bestLoadMs(page, pathToFileURL(staticPath).href);
    r.figure("moonpool report page of a 100k-event seed: size", html.length / 1e6, "MB");
    r.figure("moonpool report page of a 100k-event seed: load and first frame in Chromium", report, "ms");
    r.figure("a static page of the same size: load and first frame", baseline, "ms");
    r.ratio("report page load vs a static page of the same size", report / baseline, "lower is better");
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

export default suite;
