// One OS process running `iterations` demo seeds on one worker, for the workers bench's ceiling:
// two of these at once show what two cores give two independent runs, with no pool involved.
// Prints the mean wall time per seed (ms) as its only stdout line.
import { runFile } from "@moonpool/sim";

const [file, base, count] = process.argv.slice(2);
if (!file || !base || !count) throw new Error("usage: solo-run.ts <file> <base-seed> <iterations>");
const report = await runFile(new URL(file), {
  seed: Number(base),
  iterations: Number(count),
  workers: 1,
  logSeeds: false,
});
const inSeeds = report.seeds.reduce((ms, s) => ms + s.wallMs, 0);
process.stdout.write(`${inSeeds / report.seeds.length}\n`);
