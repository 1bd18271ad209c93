// Runs device tests through the real executor (runSeed): one seed, one actor per IP, the
// simulated network and storage of that seed.
import {
  defaultNetworkChaos,
  defaultStorageChaos,
  type NetworkChaosConfig,
  type StorageChaosConfig,
} from "@moonpool/chaos";
import type { Providers } from "@moonpool/core";
import { DEFAULT_BUDGETS, runSeed } from "../../src/engine/executor.ts";
import type { ActorScope, SeedOutcome, SimKernel, TraceFields } from "../../src/engine/kernel.ts";
import { SimNetwork } from "../../src/network/index.ts";
import { SimStorage } from "../../src/storage/index.ts";

/** One recorded trace event. */
export interface RecordedEvent {
  timeMs: number;
  source: string;
  name: string;
  fields?: TraceFields;
}

/** What a device test body gets. */
export interface DeviceWorld {
  readonly kernel: SimKernel;
  readonly network: SimNetwork;
  readonly storage: SimStorage;
  /** Providers of the actor at `ip` (created on first use). */
  providers(ip: string): Providers;
  /** The actor scope at `ip`. */
  actor(ip: string): ActorScope;
}

export interface EngineRunOptions {
  readonly network?: NetworkChaosConfig;
  readonly storage?: StorageChaosConfig;
  readonly hermetic?: boolean;
}

/** Runs `body` as a task of the actor at 10.0.0.1 inside one seed; returns the outcome and trace. */
export async function runDevices(
  seed: number,
  body: (world: DeviceWorld, self: Providers) => Promise<void>,
  options: EngineRunOptions = {},
): Promise<{ outcome: SeedOutcome; trace: RecordedEvent[] }> {
  const trace: RecordedEvent[] = [];
  const outcome = await runSeed(
    {
      seed,
      hermetic: options.hermetic ?? true,
      budgets: DEFAULT_BUDGETS,
      onQuiescent: () => false,
      onTrace: (event) => {
        trace.push(event.fields === undefined ? { ...event } : { ...event, fields: { ...event.fields } });
      },
    },
    async (kernel, actors) => {
      const network = new SimNetwork(kernel, { config: options.network ?? defaultNetworkChaos() });
      const storage = new SimStorage(kernel, { config: options.storage ?? defaultStorageChaos() });
      const scopes = new Map<string, ActorScope>();
      const actor = (ip: string): ActorScope => {
        let scope = scopes.get(ip);
        if (scope === undefined) {
          scope = actors.createActor(`actor-${ip}`, ip);
          scopes.set(ip, scope);
        }
        return scope;
      };
      const providers = (ip: string): Providers => {
        const scope = actor(ip);
        return {
          time: scope.time,
          task: scope.task,
          random: scope.random,
          network: network.networkFor(ip),
          storage: storage.storageFor(ip),
        };
      };
      const world: DeviceWorld = { kernel, network, storage, providers, actor };
      const self = providers("10.0.0.1");
      try {
        await self.task.spawn("body", () => body(world, self)).join();
      } finally {
        network.endChaos();
        storage.endChaos();
      }
    },
  );
  return { outcome, trace };
}

/** Like `runDevices`, but throws the seed's error when it failed. */
export async function runDevicesOk(
  seed: number,
  body: (world: DeviceWorld, self: Providers) => Promise<void>,
  options: EngineRunOptions = {},
): Promise<{ outcome: SeedOutcome; trace: RecordedEvent[] }> {
  const result = await runDevices(seed, body, options);
  if (!result.outcome.ok) throw result.outcome.error;
  return result;
}
