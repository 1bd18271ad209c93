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
// Interrupted: the simulation's worker threads are still running; stop them with the process.
if (code === 130) process.exit(code);
process.exitCode = code;
