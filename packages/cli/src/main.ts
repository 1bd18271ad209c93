// Process entry of the `moonpool` binary (bin/moonpool.js loads it).
import { runCli } from "./cli.ts";

// A closed pipe (`moonpool run ... | head`) ends the output quietly rather than with a stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// After an interruption or --fail-fast the simulation's worker threads are still running: the
// process ends once its output is written, which stops them.
process.stdout.write("", () => process.exit(code));
