// Runner tests use the real executor; MOONPOOL_FAKE_EXECUTOR=1 switches them to the small fake
// one (to tell a runner bug from an engine bug). The choice depends on nothing else (no git, no
// file system probe), so a copy of the package outside a checkout runs the same suite.
import { setRunSeedOverride } from "../../src/runner/internal/executor.ts";
import { fakeRunSeed } from "./fake-executor.ts";

export const realExecutorAvailable = process.env.MOONPOOL_FAKE_EXECUTOR !== "1";

/** Installs the fake executor when MOONPOOL_FAKE_EXECUTOR=1 asks for it. */
export function chooseExecutor(): void {
  if (!realExecutorAvailable) setRunSeedOverride(fakeRunSeed);
}
