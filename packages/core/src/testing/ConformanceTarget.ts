import type { Providers } from "../Providers.ts";

/** The provider suites {@link providerConformance} can register. */
export type ConformanceSuite = "time" | "task" | "random" | "network" | "storage";

/** Every suite, in registration order. */
export const CONFORMANCE_SUITES: readonly ConformanceSuite[] = [
  "time",
  "task",
  "random",
  "network",
  "storage",
];

/** A `Providers` implementation under test. */
export interface ConformanceTarget {
  name: string;
  /** Runs one test body with a fresh Providers bundle; resolves when done (a simulator runs the body inside a seed). */
  run(body: (providers: Providers) => Promise<void>): Promise<void>;
  /** Host for listen addresses: "127.0.0.1" for real TCP, the actor's IP in simulation. */
  host: string;
  /** Which suites to register (default all). */
  suites?: readonly ConformanceSuite[];
}
