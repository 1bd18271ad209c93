import { describe, expect, it } from "vitest";
import {
  type CampaignJob,
  campaignJobId,
  checkCampaignName,
  checkQueueUrl,
  jobIdOf,
  PROTOCOL_VERSION,
} from "../src/index.ts";
import { checkJobResult } from "../src/protocol.ts";

const job: CampaignJob = {
  version: PROTOCOL_VERSION,
  campaign: "nightly",
  simulation: { file: "a.sim.ts", hash: "0".repeat(64) },
  kind: "timelines",
  index: 2,
  wave: 7,
  rootSeed: 1,
  budget: 1,
  wallMs: 1000,
  timelines: [{ id: 0, seed: 1, recipe: [] }],
};

describe("the campaign protocol", () => {
  it("derives job ids from the campaign, the job index and the wave only", () => {
    expect(campaignJobId("nightly", 3)).toBe("nightly-j3");
    expect(jobIdOf(job)).toBe("nightly-w7-j2");
    expect(jobIdOf(JSON.parse(JSON.stringify(job)) as CampaignJob)).toBe(jobIdOf(job));
  });

  it("refuses campaign names that cannot be queue names or file names", () => {
    expect(checkCampaignName("maze-1.v2_x")).toBe("maze-1.v2_x");
    expect(() => checkCampaignName("a:b", "--campaign")).toThrow(/invalid --campaign: expected 1-80 letters/);
    expect(() => checkCampaignName("", "--campaign")).toThrow(/--campaign/);
    expect(() => checkCampaignName("-x")).toThrow(/starting with a letter or digit/);
  });

  it("checks a stored result belongs to the job and carries every timeline", () => {
    const result = {
      version: 1,
      id: "nightly-w7-j2",
      kind: "timelines",
      rows: [],
      failingSeeds: [],
      assertions: [],
    };
    expect(() => checkJobResult({ ...result, timelines: [{}] }, job)).not.toThrow();
    expect(() => checkJobResult(result, job)).toThrow(/lacks 1 timeline results/);
    expect(() => checkJobResult({ ...result, id: "other" }, job)).toThrow(
      /not a protocol 1 result of that job/,
    );
    expect(() => checkJobResult(null, job)).toThrow(/nightly-w7-j2/);
  });

  it("refuses a queue URL that is not redis://, naming the flag", () => {
    expect(() => checkQueueUrl("redis://127.0.0.1:6379/2", "--queue")).not.toThrow();
    expect(() => checkQueueUrl("http://127.0.0.1:6379", "--queue")).toThrow(
      /invalid --queue: expected a redis:\/\//,
    );
    expect(() => checkQueueUrl("nonsense", "--queue")).toThrow(
      /invalid --queue: expected redis:\/\/host:port/,
    );
  });
});
