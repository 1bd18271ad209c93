// The simulated network and storage of a seed, built on first use. Most seeds of a small
// simulation never open a socket or a file, and a SimNetwork (a dozen maps, a provider per
// actor) or a SimStorage costs more than the rest of such a seed. Building one later must leave
// the seed exactly as if it had been built at the start: the network is deferred only when its
// constructor schedules nothing (no periodic partition or link-cut check), the `networkFor`
// calls made meanwhile are replayed in their order when it is built, and every other call
// (a crash, a partition, a heal) builds it first.
import type { NetworkChaosConfig, StorageChaosConfig } from "@moonpool/chaos";
import type { Connection, Listener, NetworkProvider, StorageFile, StorageProvider } from "@moonpool/core";
import type { DeviceOwner, SimKernel } from "../../engine/kernel.ts";
import { type PartitionOptions, SimNetwork } from "../../network/SimNetwork.ts";
import { SimStorage } from "../../storage/SimStorage.ts";

/** What the seed's network and storage are built from. */
export interface LazyDevicesOptions {
  readonly network: NetworkChaosConfig;
  readonly storage: StorageChaosConfig;
  readonly faultMultiplier?: () => number;
}

/** True when building the network schedules events (its periodic chaos checks): build it at once. */
export function networkSchedulesAtStart(config: NetworkChaosConfig): boolean {
  return config.partition.probability > 0 || config.linkCut.probability > 0;
}

/** How a process goes down (see `SeedDevices.crash`). */
type RebootKind = "graceful" | "crash" | "wipe";

/**
 * One seed's network and storage, each built when first needed: the `SeedDevices` of
 * `simulatedDevices` (methods, not per-seed closures).
 */
export class LazyDevices {
  private readonly kernel: SimKernel;
  private readonly options: LazyDevicesOptions;
  private builtNetwork: SimNetwork | null = null;
  private builtStorage: SimStorage | null = null;
  /** `networkFor` calls made before the network was built, replayed in order when it is. */
  private pending: DeferredNetworkProvider[] = [];
  private chaosEnded = false;

  constructor(kernel: SimKernel, options: LazyDevicesOptions) {
    this.kernel = kernel;
    this.options = options;
    if (networkSchedulesAtStart(options.network)) void this.network;
  }

  /** The seed's network, built now if it was not yet. */
  get network(): SimNetwork {
    if (this.builtNetwork !== null) return this.builtNetwork;
    const multiplier = this.options.faultMultiplier;
    const network = new SimNetwork(this.kernel, {
      config: this.options.network,
      ...(multiplier !== undefined ? { faultMultiplier: multiplier } : {}),
    });
    this.builtNetwork = network;
    const pending = this.pending;
    this.pending = [];
    for (const deferred of pending) deferred.bind(network);
    // A fresh network has no connection, partition or timer: ending its chaos is only a flag.
    if (this.chaosEnded) network.endChaos();
    return network;
  }

  /** The seed's storage, built now if it was not yet. */
  get storage(): SimStorage {
    if (this.builtStorage !== null) return this.builtStorage;
    const multiplier = this.options.faultMultiplier;
    const storage = new SimStorage(this.kernel, {
      config: this.options.storage,
      ...(multiplier !== undefined ? { faultMultiplier: multiplier } : {}),
    });
    this.builtStorage = storage;
    if (this.chaosEnded) storage.endChaos();
    return storage;
  }

  /** The network as the actor at `ip` sees it (see `SimNetwork.networkFor`). */
  networkFor(ip: string, owner?: DeviceOwner): NetworkProvider {
    if (this.builtNetwork !== null) return this.builtNetwork.networkFor(ip, owner);
    if (typeof ip !== "string" || ip.length === 0) return this.network.networkFor(ip, owner); // its error
    const deferred = new DeferredNetworkProvider(this, ip, owner);
    this.pending.push(deferred);
    return deferred;
  }

  /** The disk of `owner`; the storage is built at the first operation on it. */
  storageFor(owner: string): StorageProvider {
    if (this.builtStorage !== null) return this.builtStorage.storageFor(owner);
    if (typeof owner !== "string" || owner.length === 0) return this.storage.storageFor(owner); // its error
    return new DeferredStorageProvider(this, owner);
  }

  /** A reboot's device side: "graceful" closes its sockets; the others also crash its disk. */
  crash(ip: string, kind: RebootKind): void {
    this.network.crash(ip, kind);
    if (kind !== "graceful") this.storage.crash(ip, kind);
  }

  partition(fromIp: string, toIp: string, ms?: number, options?: PartitionOptions): void {
    this.network.partition(fromIp, toIp, ms, options);
  }

  partitionBoth(a: string, b: string, ms?: number): void {
    this.network.partitionBoth(a, b, ms);
  }

  heal(a: string, b: string): void {
    this.network.heal(a, b);
  }

  healAll(): void {
    this.network.healAll();
  }

  /** The end of the chaos window (also applied to a device built later). */
  endChaos(): void {
    this.chaosEnded = true;
    this.builtNetwork?.endChaos();
    this.builtStorage?.endChaos();
  }
}

/** A `networkFor` result handed out before the network existed: forwards once it is built. */
class DeferredNetworkProvider implements NetworkProvider {
  private readonly devices: LazyDevices;
  private readonly ip: string;
  private readonly owner: DeviceOwner | undefined;
  private target: NetworkProvider | null = null;

  constructor(devices: LazyDevices, ip: string, owner: DeviceOwner | undefined) {
    this.devices = devices;
    this.ip = ip;
    this.owner = owner;
  }

  /** Called in the order the providers were handed out, when the network is built. */
  bind(network: SimNetwork): void {
    this.target = network.networkFor(this.ip, this.owner);
  }

  private resolve(): NetworkProvider {
    if (this.target === null) void this.devices.network; // binds every deferred provider
    return this.target as NetworkProvider;
  }

  listen(address: string): Promise<Listener> {
    return this.resolve().listen(address);
  }

  connect(address: string): Promise<Connection> {
    return this.resolve().connect(address);
  }
}

/** A `storageFor` result handed out before the storage existed (disks are keyed by owner). */
class DeferredStorageProvider implements StorageProvider {
  private readonly devices: LazyDevices;
  private readonly owner: string;
  private target: StorageProvider | null = null;

  constructor(devices: LazyDevices, owner: string) {
    this.devices = devices;
    this.owner = owner;
  }

  private resolve(): StorageProvider {
    this.target ??= this.devices.storage.storageFor(this.owner);
    return this.target;
  }

  open(path: string, options: Parameters<StorageProvider["open"]>[1]): Promise<StorageFile> {
    return this.resolve().open(path, options);
  }

  exists(path: string): Promise<boolean> {
    return this.resolve().exists(path);
  }

  delete(path: string): Promise<void> {
    return this.resolve().delete(path);
  }

  rename(from: string, to: string): Promise<void> {
    return this.resolve().rename(from, to);
  }

  list(prefix: string): Promise<string[]> {
    return this.resolve().list(prefix);
  }

  syncDir(dir: string): Promise<void> {
    return this.resolve().syncDir(dir);
  }
}
