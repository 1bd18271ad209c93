// Campaigns on BullMQ over a private redis-server (loopback only): one coordinator, two worker
// OS processes. Every report must equal the in-process run's JSON byte for byte (wall times
// zeroed), whatever dies on the way: a worker (SIGKILL), the coordinator, or Redis itself.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { exploreFile } from "@moonpool/explorer";
import { runFile } from "@moonpool/sim";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BullmqBackend,
  type CampaignManifest,
  jobIdOf,
  planExplore,
  planRun,
  runCampaignOn,
  runQueuedCampaign,
  seedsJobs,
} from "../src/index.ts";
import { campaignKeys } from "../src/internal/redis.ts";
import {
  type CliProcess,
  root,
  startCli,
  startWorker,
  stop,
  waitFor,
  withoutWallTimes,
} from "./helpers/processes.ts";
import { RedisServer, redisAvailability } from "./helpers/redis-server.ts";

const SEEDS_FILE = "packages/campaign/test/fixtures/counter-chaos.sim.ts";
const MAZE_FILE = "apps/maze/src/maze.sim.ts";
const EXPLORE = { seeds: 2, runs: 150, batch: 16 } as const;

const redis = redisAvailability();
const required = process.env.MOONPOOL_REQUIRE_REDIS === "1";
if (!redis.available) {
  console.warn(
    `skipping the BullMQ campaign tests: ${redis.reason} (MOONPOOL_REQUIRE_REDIS=1 makes this a failure)`,
  );
}

it.runIf(!redis.available && required)("redis-server is installed (MOONPOOL_REQUIRE_REDIS=1)", () => {
  expect.fail(`MOONPOOL_REQUIRE_REDIS=1 but ${redis.reason}`);
});

describe.runIf(redis.available)("campaigns on BullMQ", () => {
  let server: RedisServer;
  let client: Redis;
  let seedsBaseline: string;
  let exploreBaseline: string;
  const workers: CliProcess[] = [];

  beforeAll(async () => {
    server = await RedisServer.start();
    client = new Redis(server.url, { maxRetriesPerRequest: null });
    client.on("error", () => {});
    // The in-process runs every campaign below must reproduce.
    const seeds = await runFile(join(root, SEEDS_FILE), {
      iterations: 200,
      file: SEEDS_FILE,
      logSeeds: false,
    });
    seedsBaseline = withoutWallTimes(JSON.stringify(seeds.toJSON()));
    const maze = await exploreFile(join(root, MAZE_FILE), { ...EXPLORE, file: MAZE_FILE });
    exploreBaseline = withoutWallTimes(JSON.stringify(maze.toJSON()));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map(stop));
    client?.disconnect();
    await server?.stop();
  });

  const spawnWorkers = (campaign: string, n = 2): CliProcess[] => {
    const started = Array.from({ length: n }, () => startWorker(server.url, campaign));
    workers.push(...started);
    return started;
  };
  const executions = async (campaign: string): Promise<Record<string, string>> =>
    client.hgetall(campaignKeys(campaign).executions);

  it("a 200-seed chaos run equals the in-process run, and a job enqueued twice runs once", async () => {
    const manifest = await planRun({
      file: SEEDS_FILE,
      cwd: root,
      iterations: 200,
      jobSize: 25,
      campaign: "seeds",
    });
    // Every job enqueued twice before the coordinator adds it a third time.
    const early = await BullmqBackend.open(manifest, { url: server.url });
    await early.enqueue(seedsJobs(manifest));
    await early.enqueue(seedsJobs(manifest));
    await early.close();
    const pool = spawnWorkers("seeds");
    const report = await runQueuedCampaign(manifest, { url: server.url });
    expect(withoutWallTimes(JSON.stringify(report.toJSON()))).toBe(seedsBaseline);
    const counts = await executions("seeds");
    expect(Object.keys(counts).sort()).toEqual(seedsJobs(manifest).map(jobIdOf).sort());
    expect(Object.values(counts).every((n) => n === "1")).toBe(true);
    // The workers see the campaign is done and exit on their own.
    expect(await Promise.all(pool.map((w) => w.exited))).toEqual([0, 0]);
  }, 90_000);

  it("a worker SIGKILLed mid-job loses nothing: BullMQ retries its stalled job", async () => {
    const manifest = await planRun({
      file: SEEDS_FILE,
      cwd: root,
      iterations: 200,
      jobSize: 25,
      campaign: "kill-worker",
    });
    const coordinating = runQueuedCampaign(manifest, { url: server.url });
    const [victim, survivor] = spawnWorkers("kill-worker");
    await waitFor(() => victim!.stderr.includes("running "), "the first worker to take a job");
    victim!.child.kill("SIGKILL");
    const report = await coordinating;
    expect(withoutWallTimes(JSON.stringify(report.toJSON()))).toBe(seedsBaseline);
    const killedJob = /running (\S+)/.exec(victim!.stderr)![1]!;
    const counts = await executions("kill-worker");
    // The killed worker's job ran again; the rest once each.
    expect(Number(counts[killedJob])).toBeGreaterThanOrEqual(2);
    expect(await survivor!.exited).toBe(0);
  }, 90_000);

  it("an exploration whose coordinator is killed resumes to the identical report", async () => {
    const args = [
      "explore",
      MAZE_FILE,
      "--seeds",
      "2",
      "--runs",
      "150",
      "--batch",
      "16",
      "--job-size",
      "8",
      "--queue",
      server.url,
      "--campaign",
      "resume",
      "--json",
    ];
    const first = startCli(args);
    const pool = spawnWorkers("resume");
    await waitFor(async () => Object.keys(await executions("resume")).length >= 4, "a few waves").catch(
      (e) => {
        throw new Error(`${(e as Error).message}\ncoordinator: ${first.stderr}\nworker: ${pool[0]!.stderr}`);
      },
    );
    first.child.kill("SIGKILL");
    await first.exited;
    const done = Object.keys(await executions("resume")).length;
    const second = startCli(args);
    expect(await second.exited).toBe(0);
    expect(withoutWallTimes(second.stdout.trim())).toBe(exploreBaseline);
    // The waves finished before the kill were read back, not run again.
    const counts = await executions("resume");
    expect(Object.keys(counts).length).toBeGreaterThan(done);
    expect(Object.values(counts).every((n) => n === "1")).toBe(true);
    expect(await Promise.all(pool.map((w) => w.exited))).toEqual([0, 0]);
  }, 90_000);

  it("a Redis restart mid-exploration (AOF) loses no result", async () => {
    const manifest: CampaignManifest = planExplore({
      file: MAZE_FILE,
      cwd: root,
      explore: EXPLORE,
      jobSize: 8,
      campaign: "restart",
    });
    const pool = spawnWorkers("restart");
    const backend = await BullmqBackend.open(manifest, { url: server.url });
    let restarted = false;
    const report = await runCampaignOn(backend, manifest, {
      onExploreProgress: (p) => {
        if (!restarted && p.timelines >= 48) {
          restarted = true;
          void server.restart();
        }
      },
    });
    await backend.finish();
    await backend.close();
    expect(restarted).toBe(true);
    expect(withoutWallTimes(JSON.stringify(report.toJSON()))).toBe(exploreBaseline);
    expect(await Promise.all(pool.map((w) => w.exited))).toEqual([0, 0]);
  }, 90_000);

  it("a worker whose simulation file differs is refused (exit 2, both hashes named)", async () => {
    const manifest = await planRun({ file: SEEDS_FILE, cwd: root, iterations: 200, campaign: "mismatch" });
    const backend = await BullmqBackend.open(manifest, { url: server.url });
    await backend.close();
    const elsewhere = join(tmpdir(), `moonpool-mismatch-${process.pid}`);
    mkdirSync(dirname(join(elsewhere, SEEDS_FILE)), { recursive: true });
    writeFileSync(join(elsewhere, SEEDS_FILE), `${readFileSync(join(root, SEEDS_FILE), "utf8")}// edited\n`);
    try {
      const worker = startWorker(server.url, "mismatch", elsewhere);
      expect(await worker.exited).toBe(2);
      expect(worker.stderr).toContain(SEEDS_FILE);
      expect(worker.stderr).toContain(manifest.simulation.hash);
      // Only the module was copied there: its local imports are missing on that machine.
      expect(worker.stderr).toMatch(
        /the campaign runs sha256 [0-9a-f]{64}, this machine's files hash to \(its imports do not resolve: .*apps\/demo\/src\/simulation\.ts/,
      );
      expect(await executions("mismatch")).toEqual({});
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  }, 30_000);
});
