import type { NetworkProvider } from "./Network.ts";
import type { RandomProvider } from "./Random.ts";
import type { StorageProvider } from "./Storage.ts";
import type { TaskProvider } from "./Task.ts";
import type { TimeProvider } from "./Time.ts";

/**
 * Everything a service needs from its environment. Write services against this bundle; pass
 * `nodeProviders()` in production and a simulation context in tests.
 */
export interface Providers {
  time: TimeProvider;
  task: TaskProvider;
  random: RandomProvider;
  network: NetworkProvider;
  storage: StorageProvider;
}
