// The page's script: runs the counter cluster in the browser and shows the report. The results
// are also left on `window.moonpool` for the Chromium test.
import { runCluster, type SeedSummary } from "./cluster.ts";

interface PageGlobals {
  document: { getElementById(id: string): { textContent: string | null } | null };
  location: { search: string };
  moonpool?: { seeds: SeedSummary[]; wallMs: number } | { error: string };
}

const page = globalThis as unknown as PageGlobals;
const seeds = Number(new URLSearchParams(page.location.search).get("seeds") ?? "20");
const status = page.document.getElementById("status");
const started = performance.now();
runCluster(seeds).then(
  ({ seeds: rows, text }) => {
    const wallMs = performance.now() - started;
    page.moonpool = { seeds: rows, wallMs };
    const report = page.document.getElementById("report");
    if (report) report.textContent = text;
    if (status) status.textContent = `${rows.length} seeds in ${Math.round(wallMs)} ms`;
  },
  (error: unknown) => {
    page.moonpool = { error: String((error as Error)?.stack ?? error) };
    if (status) status.textContent = `failed: ${String(error)}`;
  },
);
