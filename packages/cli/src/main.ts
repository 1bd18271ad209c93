// Process entry of the `moonpool` binary (bin/moonpool.js loads it).
import { runCli } from "./cli.ts";

process.exitCode = await runCli(process.argv.slice(2));
