/**
 * @moonpool/core/testing: the provider conformance suite, for vitest. Any `Providers`
 * implementation (real or simulated) registers it in a test file and must pass it.
 */
export { CONFORMANCE_SUITES, type ConformanceSuite, type ConformanceTarget } from "./ConformanceTarget.ts";
export { networkConformance } from "./networkConformance.ts";
export { providerConformance } from "./providerConformance.ts";
export { randomConformance } from "./randomConformance.ts";
export { storageConformance } from "./storageConformance.ts";
export { taskConformance } from "./taskConformance.ts";
export { timeConformance } from "./timeConformance.ts";
