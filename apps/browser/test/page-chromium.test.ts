// The counter cluster in a real browser (headless Debian Chromium through playwright-core): the
// page bundled for the browser runs seeds 1..20 and gets the trace hashes the same simulation
// gets on Node. CI installs Chromium (.ci/system-deps) and sets MOONPOOL_REQUIRE_CHROMIUM, so
// there the test cannot be skipped; elsewhere it runs when a Chromium is found.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Metafile } from "esbuild";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundlePage, nodeImporters } from "../src/bundle.ts";
import { runCluster, type SeedSummary } from "../src/cluster.ts";

const SEEDS = 20;
const executablePath = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  process.env.CHROMIUM_PATH ?? "",
].find((p) => p !== "" && existsSync(p));
const required = process.env.MOONPOOL_REQUIRE_CHROMIUM === "1";

let meta: Metafile;
let pageUrl: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "moonpool-browser-"));
  meta = await bundlePage(dir);
  pageUrl = pathToFileURL(join(dir, "index.html")).href;
}, 120_000);

describe("the page bundle", () => {
  it("carries no Node built-in in the engine, the hosts, the runner or storage", () => {
    const importers = [...nodeImporters(meta).keys()];
    const core = importers.filter((p) => /packages\/sim\/src\/(engine|host|runner|storage)\//.test(p));
    expect(core).toEqual([]);
    // What is left is the node:net compatibility layer and address parsing, given stand-ins.
    expect(importers.length).toBeGreaterThan(0);
    const inputs = Object.keys(meta.inputs);
    expect(inputs.some((p) => p.endsWith("sim/src/host/browser-host.ts"))).toBe(true);
    expect(inputs.some((p) => p.endsWith("sim/src/host/node-host.ts"))).toBe(false);
    expect(inputs.some((p) => p.endsWith("sim/src/host/hermetic.ts"))).toBe(false);
  });
});

describe.runIf(executablePath !== undefined || required)("the page in headless Chromium", () => {
  let browser: Browser;

  beforeAll(async () => {
    if (executablePath === undefined) throw new Error("MOONPOOL_REQUIRE_CHROMIUM=1 but no Chromium found");
    browser = await chromium.launch({
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it(`runs seeds 1..${SEEDS} of the counter cluster with the trace hashes of the Node run`, async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(`${pageUrl}?seeds=${SEEDS}`);
    await page.waitForFunction(() => (globalThis as { moonpool?: unknown }).moonpool !== undefined, null, {
      timeout: 120_000,
    });
    const result = (await page.evaluate(() => (globalThis as { moonpool?: unknown }).moonpool)) as
      | { seeds: SeedSummary[]; wallMs: number }
      | { error: string };
    if ("error" in result) throw new Error(`the page failed: ${result.error}`);
    expect(errors).toEqual([]);
    const onNode = await runCluster(SEEDS);
    expect(result.seeds).toHaveLength(SEEDS);
    expect(result.seeds).toEqual(onNode.seeds);
    expect(result.seeds.every((s) => s.ok && s.events > 100)).toBe(true);
    expect(new Set(result.seeds.map((s) => s.traceHash)).size).toBe(SEEDS);
    expect(await page.textContent("#report")).toContain(`PASSED  ${SEEDS} seeds`);
  }, 240_000);
});
