/**
 * The device seam of the runner: how simulated network and storage plug into every seed.
 *
 * The runner calls `createSeedDevices(kernel, config)` once at the start of each seed and then
 * asks the returned `SeedDevices` for one network provider per actor IP and one storage provider
 * per owner (the owner is the actor's IP, so a process finds its files again after a reboot).
 * Faults and reboots go through the same object: `crash` is the device side of a process reboot
 * (the runner has already killed the process's tasks), `partition`/`heal` back
 * `FaultContext.partition*`/`heal`.
 *
 * Until the simulated network and storage are registered (`registerSeedDevices`), every provider
 * method rejects with a clear `Error("simulated network not available yet")` (or storage), and
 * crash/partition/heal only record a trace event.
 *
 * Contract for implementers:
 * - Everything a device does must go through `kernel` (schedule, waker, random, trace), so the
 *   seed stays a pure function of its number.
 * - `config.chaos` is the value given to `SimulationBuilder.chaos()` (or undefined): the device
 *   reads its own part (`network`, `storage`) and decides per seed (draws from `kernel.random`).
 * - `config.chaosEnded` aborts when the chaos window ends: stop injecting faults and heal every
 *   partition then.
 * - Register cleanup with `kernel.onSeedEnd` (nothing may survive into the next seed).
 */
import type { NetworkProvider, StorageProvider } from "@moonpool/core";
import type { SimKernel } from "../engine/kernel.ts";

/** How a process goes down: see `FaultContext.reboot`. */
export type RebootKind = "graceful" | "crash" | "wipe";

/** The simulated devices of one seed. */
export interface SeedDevices {
  /** The network as the actor at `ip` sees it (connections originate from `ip`). */
  networkFor(ip: string): NetworkProvider;
  /** The disk of `owner` (an actor IP); survives reboots, wiped by `crash(ip, "wipe")`. */
  storageFor(owner: string): StorageProvider;
  /**
   * Device side of a reboot of the process at `ip`, called after its tasks were killed:
   * "graceful" closes its sockets; "crash" also aborts them and drops unsynced writes;
   * "wipe" also deletes its files.
   */
  crash(ip: string, kind: RebootKind): void;
  /** Drops traffic from `fromIp` to `toIp` (one direction), for `ms` or until healed. */
  partition(fromIp: string, toIp: string, ms?: number): void;
  /** Heals the partitions between `a` and `b`, in both directions. */
  heal(a: string, b: string): void;
}

/** What the runner hands to a devices factory for one seed. */
export interface SeedDevicesConfig {
  /** The builder's `.chaos()` configuration, or undefined when none was given. */
  readonly chaos: unknown;
  /** Aborts when the chaos window ends. */
  readonly chaosEnded: AbortSignal;
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

/** The factory the runner uses for every seed (see `registerSeedDevices`). */
export let createSeedDevices: DevicesFactory = placeholderDevices;

/**
 * Installs the devices factory (called once by the simulated network/storage module when it is
 * loaded). Returns the previous factory, so tests can restore it.
 */
export function registerSeedDevices(factory: DevicesFactory): DevicesFactory {
  const previous = createSeedDevices;
  createSeedDevices = factory;
  return previous;
}
