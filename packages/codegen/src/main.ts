// Entry point of the `moonpool-codegen` binary.
import { runCli } from "./cli.ts";

process.exitCode = runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
});
