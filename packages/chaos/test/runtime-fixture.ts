import { type ChaosRuntime, installChaosRuntime } from "../src/runtime.ts";
import { seededRandom } from "./seeded-random.ts";

/** A controllable stand-in for a running simulation's chaos runtime. */
export interface FakeRuntime extends ChaosRuntime {
  active: boolean;
  readonly rng: ReturnType<typeof seededRandom>;
}

/** Installs a fake runtime for `seed` (a new chaos epoch) and returns it. */
export function installFakeRuntime(
  seed: number,
  extra: Partial<
    Pick<ChaosRuntime, "buggifyActivation" | "buggifyProbability" | "buggifyEnabled" | "swarmOpEnabled">
  > = {},
): FakeRuntime {
  const rng = seededRandom(seed);
  const runtime: FakeRuntime = {
    active: true,
    rng,
    random: () => rng.random(),
    chaosActive: () => runtime.active,
    ...extra,
  };
  installChaosRuntime(runtime);
  return runtime;
}
