/**
 * The device seam of the runner: how simulated network and storage plug into every seed.
 *
 * The runner calls `createSeedDevices(kernel, config)` once at the start of each seed and then
 * asks the returned `SeedDevices` for a network provider at every boot of an actor (scoped to
 * that incarnation: `networkFor(ip, owner)`) and one storage provider per owner (the owner is
 * the actor's IP, so a process finds its files again after a reboot; the runner makes each
 * incarnation's view of it park once the incarnation is killed).
 * Faults and reboots go through the same object: `crash` is the device side of a process reboot
 * (the runner has already killed the process's tasks), `partition`/`heal` back
 * `FaultContext.partition*`/`heal`.
 *
 * The default factory is `simulatedDevices` (SimNetwork + SimStorage); `registerSeedDevices`
 * replaces it (tests can install `placeholderDevices` or their own).
 *
 * Contract for implementers:
 * - Everything a device does must go through `kernel` (schedule, waker, random, trace), so the
 *   seed stays a pure function of its number; work done on an actor's behalf goes through its
 *   `DeviceOwner` (schedule, deliver, waker), so it dies with the incarnation.
 * - `config.chaos` is the value given to `SimulationBuilder.chaos()` (or undefined): the device
 *   reads its own part (`network`, `storage`) and decides per seed (draws from `kernel.random`).
 * - `config.chaosEnded` aborts when the chaos window ends: stop injecting faults and heal every
 *   partition then.
 * - Register cleanup with `kernel.onSeedEnd` (nothing may survive into the next seed).
 */
import { type ChaosInput, type ResolvedChaosConfig, resolveChaosConfig } from "@moonpool/chaos";
import type { NetworkProvider, StorageProvider } from "@moonpool/core";
import type { DeviceOwner, SimKernel } from "../engine/kernel.ts";
import { resetSharedBytes } from "../network/internal/bytes.ts";
import type { PartitionOptions, SimNetwork } from "../network/SimNetwork.ts";
import type { SimStorage } from "../storage/SimStorage.ts";
import { LazyDevices } from "./internal/lazy-devices.ts";

/** How a process goes down: see `FaultContext.reboot`. */
export type RebootKind = "graceful" | "crash" | "wipe";

/** The simulated devices of one seed. */
export interface SeedDevices {
  /**
   * The network as the actor at `ip` sees it (connections originate from `ip`). With `owner`
   * (the runner passes the incarnation at every boot), what it creates acts for that
   * incarnation and stops with it.
   */
  networkFor(ip: string, owner?: DeviceOwner): NetworkProvider;
  /** The disk of `owner` (an actor IP); survives reboots, wiped by `crash(ip, "wipe")`. */
  storageFor(owner: string): StorageProvider;
  /**
   * Device side of a reboot of the process at `ip`, called after its tasks were killed:
   * "graceful" closes its sockets; "crash" also aborts them and drops unsynced writes;
   * "wipe" also deletes its files.
   */
  crash(ip: string, kind: RebootKind): void;
  /**
   * Blocks traffic from `fromIp` to `toIp` (one direction), for `ms` or until healed: held and
   * delivered after the heal, or discarded with `{ mode: "drop" }`.
   */
  partition(fromIp: string, toIp: string, ms?: number, options?: PartitionOptions): void;
  /** Heals the partitions between `a` and `b`, in both directions. */
  heal(a: string, b: string): void;
  /** Blocks traffic between `a` and `b` both ways, for `ms` or until healed. */
  partitionBoth?(a: string, b: string, ms?: number): void;
  /** Heals every partition. */
  healAll?(): void;
  /** The simulated network of the seed (when the real devices are in use). */
  readonly network?: SimNetwork;
  /** The simulated storage of the seed (when the real devices are in use). */
  readonly storage?: SimStorage;
}

/** What the runner hands to a devices factory for one seed. */
export interface SeedDevicesConfig {
  /** The builder's `.chaos()` configuration, or undefined when none was given. */
  readonly chaos: unknown;
  /** Aborts when the chaos window ends. */
  readonly chaosEnded: AbortSignal;
  /**
   * Calls `fn` once when the chaos window ends (at once if it has), before the `chaosEnded`
   * signal's listeners: cheaper than a listener, since the signal is then never built.
   */
  readonly onChaosEnd?: (fn: () => void) => void;
  /** The seed's chaos as the runner resolved it (devices use it instead of resolving again). */
  readonly resolved?: ResolvedChaosConfig;
  /** Correlated bursts: the fault probability multiplier now (absent = 1). */
  readonly faultMultiplier?: () => number;
}

/** Creates the devices of one seed. */
export type DevicesFactory = (kernel: SimKernel, config: SeedDevicesConfig) => SeedDevices;

function unavailable(what: string): () => Promise<never> {
  return () => Promise.reject(new Error(`simulated ${what} not available yet`));
}

/** Devices used until the simulated network and storage are registered. */
export const placeholderDevices: DevicesFactory = (kernel) => {
  const network: NetworkProvider = { listen: unavailable("network"), connect: unavailable("network") };
  const storage: StorageProvider = {
    open: unavailable("storage"),
    exists: unavailable("storage"),
    delete: unavailable("storage"),
    rename: unavailable("storage"),
    list: unavailable("storage"),
    syncDir: unavailable("storage"),
  };
  return {
    networkFor: () => network,
    storageFor: () => storage,
    crash: (ip, kind) => kernel.trace("sim", "device_crash", { ip, kind }),
    partition: (from, to, ms) =>
      kernel.trace("sim", "partition", ms === undefined ? { from, to } : { from, to, ms }),
    heal: (a, b) => kernel.trace("sim", "heal", { a, b }),
  };
};

/**
 * The simulated network and storage of a seed. Their configs come from `config.chaos.network` and
 * `config.chaos.storage` ("random", "swarm", a partial config, or off), resolved with the seed's
 * configuration stream; without `.chaos()` both have realistic latencies and no fault (the
 * storage crash model still applies to reboots). When the chaos window ends, faults stop and
 * partitions, clogs, cuts and disk episodes end.
 */
export const simulatedDevices: DevicesFactory = (kernel, config) => {
  const chaos = (config.chaos ?? undefined) as { network?: unknown; storage?: unknown } | undefined;
  const input =
    chaos === undefined
      ? undefined
      : ({
          ...(chaos.network !== undefined ? { network: chaos.network } : {}),
          ...(chaos.storage !== undefined ? { storage: chaos.storage } : {}),
          buggify: false,
        } as ChaosInput);
  const resolved = config.resolved ?? resolveChaosConfig(input, kernel.swarmRandom);
  resetSharedBytes(); // byte offsets of this seed never depend on earlier seeds
  // Built on first use (most small seeds never touch them), exactly as if built now.
  const devices = new LazyDevices(kernel, {
    network: resolved.network,
    storage: resolved.storage,
    ...(config.faultMultiplier ? { faultMultiplier: config.faultMultiplier } : {}),
  });
  const endChaos = (): void => devices.endChaos();
  if (config.onChaosEnd !== undefined) config.onChaosEnd(endChaos);
  else if (config.chaosEnded.aborted) endChaos();
  else config.chaosEnded.addEventListener("abort", endChaos, { once: true });
  kernel.onSeedEnd(() => {
    if (config.onChaosEnd === undefined) config.chaosEnded.removeEventListener("abort", endChaos);
    endChaos();
  });
  return devices;
};

/** The factory the runner uses for every seed (see `registerSeedDevices`). */
export let createSeedDevices: DevicesFactory = simulatedDevices;

/**
 * Installs the devices factory (called once by the simulated network/storage module when it is
 * loaded). Returns the previous factory, so tests can restore it.
 */
export function registerSeedDevices(factory: DevicesFactory): DevicesFactory {
  const previous = createSeedDevices;
  createSeedDevices = factory;
  return previous;
}
