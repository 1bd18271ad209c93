import { describe } from "vitest";
import { CONFORMANCE_SUITES, type ConformanceTarget } from "./ConformanceTarget.ts";
import { networkConformance } from "./networkConformance.ts";
import { randomConformance } from "./randomConformance.ts";
import { storageConformance } from "./storageConformance.ts";
import { taskConformance } from "./taskConformance.ts";
import { timeConformance } from "./timeConformance.ts";

const SUITES = {
  time: timeConformance,
  task: taskConformance,
  random: randomConformance,
  network: networkConformance,
  storage: storageConformance,
} as const;

/**
 * Registers the provider conformance suite (vitest `describe`/`it`) for `target`. Every
 * `Providers` implementation must pass it: the real Node providers and the simulated ones.
 * Assertions only use lower bounds on elapsed time, so a loaded machine cannot fail them.
 *
 * @example
 * ```ts
 * // packages/core/test/nodeProviders.conformance.test.ts
 * import { nodeProviders } from "@moonpool/core/node";
 * import { providerConformance } from "@moonpool/core/testing";
 *
 * providerConformance({
 *   name: "node",
 *   host: "127.0.0.1",
 *   run: async (body) => body(nodeProviders({ dataDir: await freshTempDir() })),
 * });
 * ```
 */
export function providerConformance(target: ConformanceTarget): void {
  const selected = new Set(target.suites ?? CONFORMANCE_SUITES);
  describe(`provider conformance: ${target.name}`, () => {
    for (const suite of CONFORMANCE_SUITES) if (selected.has(suite)) SUITES[suite](target);
  });
}
