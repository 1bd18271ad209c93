// `pnpm --filter @moonpool/web-service start`: the service on real TCP for a few seconds under a
// fetch load, then a summary. `... sim [seeds]`: the same code in simulation under chaos.
import { startRealService } from "./real.ts";
import { webSimulation } from "./simulation.ts";

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number);
}

async function real(seconds: number): Promise<void> {
  const service = await startRealService();
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const deadline = performance.now() + seconds * 1000;
  const client = async (c: number) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const started = performance.now();
      const roll = i % 10;
      const path = roll === 9 ? "/visits" : `/items/c${c}k${i % 5}`;
      const init =
        roll < 5 ? { method: "PUT", body: `c${c}-${i}` } : roll === 9 ? { method: "POST" } : undefined;
      let status = 0;
      try {
        const res = await service.fetch(`${service.url}${path}`, init);
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = 0;
      }
      latencies.push(performance.now() - started);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all([0, 1, 2, 3].map(client));
  await service.stop();
  latencies.sort((a, b) => a - b);
  const ok = (statuses.get(200) ?? 0) + (statuses.get(404) ?? 0);
  console.log(`real TCP on ${service.url}: ${latencies.length} requests in ${seconds} s`);
  console.log(
    `  ${(latencies.length / seconds).toFixed(0)} req/s, p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${percentile(latencies, 0.99).toFixed(2)} ms`,
  );
  console.log(
    `  statuses: ${[...statuses].map(([s, n]) => `${s === 0 ? "error" : s}=${n}`).join(" ")} (ok ${ok})`,
  );
}

async function sim(seeds: number): Promise<void> {
  const report = await webSimulation()
    .logSeeds(false)
    .seeds(Array.from({ length: seeds }, (_, i) => i + 1))
    .run();
  console.log(report.format());
  if (!report.ok) process.exitCode = 1;
}

const [mode = "real", arg] = process.argv.slice(2);
if (mode === "sim") await sim(Number(arg ?? 20));
else if (mode === "real") await real(Number(arg ?? 3));
else {
  console.error(`unknown mode ${JSON.stringify(mode)}: use "real [seconds]" or "sim [seeds]"`);
  process.exitCode = 2;
}
