// Runner tests use the real executor once engine/executor.ts is committed, the fake one before
// (MOONPOOL_FAKE_EXECUTOR=1 forces the fake, MOONPOOL_REAL_EXECUTOR=1 the real one).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { setRunSeedOverride } from "../../src/runner/internal/executor.ts";
import { fakeRunSeed } from "./fake-executor.ts";

function committed(): boolean {
  try {
    const path = fileURLToPath(new URL("../../src/engine/executor.ts", import.meta.url));
    execFileSync("git", ["ls-files", "--error-unmatch", path], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export const realExecutorAvailable =
  process.env.MOONPOOL_FAKE_EXECUTOR !== "1" && (process.env.MOONPOOL_REAL_EXECUTOR === "1" || committed());

/** Installs the fake executor when the real one is not there yet. */
export function chooseExecutor(): void {
  if (!realExecutorAvailable) setRunSeedOverride(fakeRunSeed);
}
