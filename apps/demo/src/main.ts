// `pnpm demo`: the counter service on real TCP (loopback) and a real disk, restarted once to
// show that the counter is durable. The same service code runs in simulation unchanged.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeProviders } from "@moonpool/core/node";
import { CounterService, sendLines } from "./counterService.ts";

async function runOnce(dataDir: string, messages: readonly string[]): Promise<number> {
  const providers = nodeProviders({ dataDir });
  const service = await CounterService.start(providers, "127.0.0.1:0");
  console.log(`server listening on ${service.address} (counter recovered at ${service.count})`);
  const stop = new AbortController();
  const serving = service.serve(stop.signal);
  for (const reply of await sendLines(providers, service.address, messages)) console.log(`  reply: ${reply}`);
  stop.abort();
  await serving;
  return service.count;
}

const dataDir = await mkdtemp(join(tmpdir(), "moonpool-demo-"));
try {
  const first = await runOnce(dataDir, ["hello", "moonpool", "on real TCP"]);
  console.log(`server stopped at ${first}; restarting on the same data directory`);
  const second = await runOnce(dataDir, ["still", "counting"]);
  if (second !== 5) throw new Error(`expected the counter to reach 5 after a restart, got ${second}`);
  console.log(`counter reached ${second} across a restart: writes were synced before each reply`);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
