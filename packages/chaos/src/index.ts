export { type ChaosRuntime, chaosEpoch, currentChaosRuntime, installChaosRuntime } from "./runtime.ts";
