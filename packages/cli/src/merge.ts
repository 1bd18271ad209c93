// Folding the reports of `moonpool run --shard i/n` back into the report one unsharded run
// gives: seed rows in the planned order, assertion counts added, statuses recomputed.
import { mergeAssertionRows } from "@moonpool/campaign";
import { type AssertionRow, type Divergence, type SeedRow, SimulationReport } from "@moonpool/sim";
import { UsageError } from "./find.ts";

// The fold of assertion tables is the campaign coordinator's (one definition for shards and jobs).
export { mergeAssertionRows };

/** One shard report as read from a file (`name` is used in error messages). */
export interface ShardReportInput {
  readonly name: string;
  readonly json: unknown;
}

interface ShardJson {
  readonly name: string;
  readonly index: number;
  readonly count: number;
  readonly of: number;
  readonly baseSeed: number;
  readonly file: string | undefined;
  readonly recipe: string | undefined;
  readonly wallMs: number;
  readonly seeds: SeedRow[];
  readonly assertions: AssertionRow[];
  readonly divergences: Divergence[];
  readonly stoppedEarly: string | undefined;
}

/**
 * Merges the JSON reports of every shard of one run (`--shard 1/n` ... `--shard n/n`, in any
 * order) into the report the unsharded run gives. Its JSON is byte for byte the unsharded
 * run's, except the wall times (`wallMs`: the longest shard's). Reports of different
 * simulations, seed lists or shard counts, a missing or repeated shard, are refused with a
 * `UsageError` naming the file.
 */
export function mergeShardReports(inputs: readonly ShardReportInput[]): SimulationReport {
  if (inputs.length === 0) throw new UsageError("merge needs at least one report file");
  const shards = inputs.map(readShard);
  const first = shards[0]!;
  for (const s of shards.slice(1)) {
    const differs = (what: string, a: unknown, b: unknown) => {
      if (a !== b)
        throw new UsageError(
          `${s.name} and ${first.name} are not shards of the same run: ${what} ${JSON.stringify(b)} vs ${JSON.stringify(a)}`,
        );
    };
    differs("simulation file", first.file, s.file);
    differs("base seed", first.baseSeed, s.baseSeed);
    differs("shard count", first.count, s.count);
    differs("planned seed count", first.of, s.of);
    differs("recipe", first.recipe, s.recipe);
  }
  const byIndex = new Map<number, ShardJson>();
  for (const s of shards) {
    const seen = byIndex.get(s.index);
    if (seen) throw new UsageError(`${s.name} and ${seen.name} are both shard ${s.index}/${s.count}`);
    byIndex.set(s.index, s);
  }
  const missing = [];
  for (let i = 1; i <= first.count; i++) if (!byIndex.has(i)) missing.push(`${i}/${first.count}`);
  if (missing.length > 0)
    throw new UsageError(`missing shard report(s) ${missing.join(", ")}: merge needs every shard of the run`);
  // Shard i holds the planned seeds at positions k with k % count === i - 1, in order.
  const seeds: SeedRow[] = [];
  const cursors = new Array<number>(first.count + 1).fill(0);
  for (let k = 0; k < first.of; k++) {
    const shard = byIndex.get((k % first.count) + 1)!;
    const row = shard.seeds[cursors[shard.index]!++];
    if (row === undefined) throw incomplete(shard, first);
    seeds.push(row);
  }
  for (const s of shards) if (cursors[s.index] !== s.seeds.length) throw incomplete(s, first);
  const distinct = new Set(seeds.map((r) => r.seed));
  if (distinct.size !== seeds.length)
    throw new UsageError("the shard reports repeat a seed: they are not shards of one seed list");
  const position = new Map(seeds.map((r, i) => [r.seed, i]));
  const stopped = shards.filter((s) => s.stoppedEarly !== undefined);
  return new SimulationReport({
    seeds,
    assertions: mergeAssertionRows(shards.map((s) => s.assertions)),
    baseSeed: first.baseSeed,
    wallMs: Math.max(...shards.map((s) => s.wallMs)),
    file: first.file,
    divergences: shards
      .flatMap((s) => s.divergences)
      .sort((a, b) => position.get(a.seed)! - position.get(b.seed)!),
    recipe: first.recipe,
    ...(stopped.length > 0
      ? { stoppedEarly: stopped.map((s) => `shard ${s.index}: ${s.stoppedEarly}`).join("; ") }
      : {}),
  });
}

function incomplete(s: ShardJson, first: ShardJson): UsageError {
  return new UsageError(
    `${s.name}: shard ${s.index}/${s.count} should hold ${stripeLength(s.index, s.count, first.of)} of the ${first.of} planned seeds but holds ${s.seeds.length} (a run cut short?)`,
  );
}

function stripeLength(index: number, count: number, of: number): number {
  return Math.max(0, Math.ceil((of - (index - 1)) / count));
}

function readShard(input: ShardReportInput): ShardJson {
  const j = input.json as Record<string, unknown> | null;
  if (j === null || typeof j !== "object" || !Array.isArray(j.seeds) || !Array.isArray(j.assertions))
    throw new UsageError(`${input.name}: not a moonpool report (expected the output of run --json)`);
  if (j.exploration !== undefined)
    throw new UsageError(`${input.name}: an exploration report; only run --shard reports can be merged`);
  if (j.omittedSeeds !== undefined)
    throw new UsageError(
      `${input.name}: a report that kept only some of its seed rows (keepSeedRows); merging needs every row`,
    );
  const shard = j.shard as { index?: unknown; count?: unknown; of?: unknown } | undefined;
  const int = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
  if (shard === undefined || !int(shard.index) || !int(shard.count) || !int(shard.of))
    throw new UsageError(
      `${input.name}: not a shard report (no "shard" field): write shard reports with moonpool run --shard i/n --json`,
    );
  return {
    name: input.name,
    index: shard.index as number,
    count: shard.count as number,
    of: shard.of as number,
    baseSeed: Number(j.baseSeed),
    file: j.file as string | undefined,
    recipe: j.recipe as string | undefined,
    wallMs: Number(j.wallMs ?? 0),
    seeds: j.seeds as SeedRow[],
    assertions: j.assertions as AssertionRow[],
    divergences: (j.divergences as Divergence[] | undefined) ?? [],
    stoppedEarly: j.stoppedEarly as string | undefined,
  };
}
