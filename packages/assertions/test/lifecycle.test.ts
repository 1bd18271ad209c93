import {
  assertionReport,
  coverageState,
  exportAssertionState,
  mergeAssertionState,
  reachable,
  rearmDiscoveries,
  resetAssertions,
  sometimes,
  sometimesAll,
  sometimesEach,
  sometimesGreaterThan,
} from "@moonpool/assertions";
import { beforeEach, describe, expect, it } from "vitest";
import { freshWorld, type Recorded } from "./helpers.ts";

let rec: Recorded;
beforeEach(() => {
  rec = freshWorld();
});

function seed(level: number): void {
  sometimes(true, "s");
  reachable("r");
  sometimesGreaterThan(level, 0, "level");
  sometimesAll({ a: true, b: level > 1 }, "all");
  sometimesEach("room", { room: level }, { hp: 1 });
}

describe("rearmDiscoveries", () => {
  it("makes first hits and known buckets discoveries again, flagged repeat and not counted", () => {
    seed(1);
    const firstSeed = rec.discoveries.length;
    const counted = coverageState().discoveries;
    expect(rec.discoveries.every((d) => d.repeat === undefined)).toBe(true);

    seed(1); // same ground, not re-armed: nothing
    expect(rec.discoveries).toHaveLength(firstSeed);

    rearmDiscoveries();
    seed(1);
    const again = rec.discoveries.slice(firstSeed);
    expect(again.map((d) => [d.reason, d.message, d.repeat])).toEqual([
      ["first-hit", "s", true],
      ["first-hit", "r", true],
      ["first-hit", "level", true],
      ["new-bucket", "room", true],
    ]);
    expect(coverageState().discoveries).toBe(counted);

    // watermarks and frontiers keep their run-wide best: real progress is not a repeat
    seed(2);
    const progress = rec.discoveries.slice(firstSeed + again.length);
    expect(progress.map((d) => [d.reason, d.message, d.repeat])).toEqual([
      ["watermark", "level", undefined],
      ["frontier", "all", undefined],
      ["new-bucket", "room", undefined],
    ]);
    expect(coverageState().discoveries).toBe(counted + 3);
    // counts were never touched
    expect(assertionReport().find((e) => e.message === "s")?.pass).toBe(4);
  });

  it("a merge after a re-arm reports repeats too", () => {
    seed(1);
    const state = exportAssertionState();
    rearmDiscoveries();
    const found = mergeAssertionState(state);
    expect(
      found
        .filter((d) => d.repeat)
        .map((d) => d.message)
        .sort(),
    ).toEqual(["level", "r", "room", "s"]);
    resetAssertions();
    expect(mergeAssertionState(state).some((d) => d.repeat)).toBe(false);
  });
});
