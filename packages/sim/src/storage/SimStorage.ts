import {
  crashFateOfUnsyncedMetadata,
  defaultStorageChaos,
  rollDiskEpisode,
  type StorageChaosConfig,
  type StorageOp,
  storageOpLatencyMs,
} from "@moonpool/chaos";
import { InvalidArgumentError, type StorageProvider } from "@moonpool/core";
import type { SimKernel, TimerHandle, TraceFields } from "../engine/kernel.ts";
import { msToNs, NS_PER_MS } from "../engine/time-units.ts";
import { FileImage } from "./internal/FileImage.ts";
import { applyMetadata, directoriesOf, type FileNode, type MetadataOp } from "./internal/metadata.ts";
import { SimStorageProvider } from "./SimStorageProvider.ts";

/** Options of a {@link SimStorage}. */
export interface SimStorageOptions {
  /** Latencies, faults and the crash model (default: `defaultStorageChaos()`, faults off). */
  readonly config?: StorageChaosConfig;
  /** Whether faults are injected from the start (default true; `endChaos()` turns them off). */
  readonly chaosActive?: boolean;
  /** The machine an owner's disk episodes are shared with (default: each owner is its own machine). */
  readonly machineOf?: (owner: string) => string;
  /** Scales every fault probability (e.g. a correlated-burst intensity); default 1. */
  readonly faultMultiplier?: () => number;
}

export type { FileNode } from "./internal/metadata.ts";

/** The disk of one owner (an actor IP): its namespace now and as of its last directory syncs. */
export class OwnerDisk {
  readonly owner: string;
  namespace = new Map<string, FileNode>();
  /** The namespace with every change up to the first one not yet durable applied. */
  durableNamespace = new Map<string, FileNode>();
  /** Changes after `durableNamespace`, in order; some may already be durable. */
  metadataOps: MetadataOp[] = [];
  /** Bumped by every crash: handles of an older incarnation are dead. */
  incarnation = 0;
  /** Completion events of in-flight operations (cancelled by a crash: they never complete). */
  readonly pending = new Set<TimerHandle>();

  constructor(owner: string) {
    this.owner = owner;
  }

  /** Records a create, rename or delete (durable once its directories are synced). */
  recordMetadata(op: DistributiveOmit<MetadataOp, "awaiting">): void {
    const pending = { ...op, awaiting: new Set<string>() } as MetadataOp;
    for (const dir of directoriesOf(pending)) pending.awaiting.add(dir);
    this.metadataOps.push(pending);
  }

  /** A sync of directory `dir`: every change recorded so far in it is durable. */
  commitDir(dir: string): void {
    for (const op of this.metadataOps) op.awaiting.delete(dir);
    let folded = 0;
    while (folded < this.metadataOps.length && this.metadataOps[folded]!.awaiting.size === 0) {
      applyMetadata(this.durableNamespace, this.metadataOps[folded]!);
      folded += 1;
    }
    if (folded > 0) this.metadataOps = this.metadataOps.slice(folded);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Episode {
  readonly kind: "stall" | "throttle";
  readonly untilNs: number;
  readonly slowdown: number;
}

/**
 * The simulated storage of one seed: one disk per owner (`storageFor(owner)`), with the sector
 * model, latencies from IOPS and bandwidth, stall/throttle episodes per machine, every storage
 * fault of `StorageChaosConfig`, and crashes that treat unsynced data as a power loss would.
 *
 * @example
 * ```ts
 * const disks = new SimStorage(kernel);
 * const storage = disks.storageFor("10.0.1.1");
 * const f = await storage.open("wal.log", { read: true, write: true, create: true });
 * await f.write(0, bytes);
 * await f.sync();              // survives crash("10.0.1.1")
 * ```
 */
export class SimStorage {
  readonly kernel: SimKernel;
  readonly #config: StorageChaosConfig;
  readonly #perOwner = new Map<string, StorageChaosConfig>();
  readonly #machineOf: (owner: string) => string;
  readonly #multiplier: () => number;
  #chaosActive: boolean;
  readonly #disks = new Map<string, OwnerDisk>();
  readonly #providers = new Map<string, SimStorageProvider>();
  readonly #episodes = new Map<string, Episode>();
  #nextFileId = 1;

  constructor(kernel: SimKernel, options: SimStorageOptions = {}) {
    this.kernel = kernel;
    this.#config = options.config ?? defaultStorageChaos();
    this.#machineOf = options.machineOf ?? ((owner) => owner);
    this.#multiplier = options.faultMultiplier ?? (() => 1);
    this.#chaosActive = options.chaosActive ?? true;
  }

  /** True while faults are injected (until `endChaos()`); the crash model always applies. */
  get chaosActive(): boolean {
    return this.#chaosActive;
  }

  /** Ends the chaos window: no new faults; running stall and throttle episodes end now. */
  endChaos(): void {
    this.#chaosActive = false;
    this.#episodes.clear();
  }

  /** The disk of `owner` (an actor IP), the same across that actor's reboots. */
  storageFor(owner: string): StorageProvider {
    if (typeof owner !== "string" || owner.length === 0) {
      throw new InvalidArgumentError("owner", `expected a non-empty owner name, got ${String(owner)}`);
    }
    let provider = this.#providers.get(owner);
    if (provider === undefined) {
      provider = new SimStorageProvider(this, this.disk(owner));
      this.#providers.set(owner, provider);
    }
    return provider;
  }

  /** The config in force for `owner` (its override, or the seed's). */
  configFor(owner: string): StorageChaosConfig {
    return this.#perOwner.get(owner) ?? this.#config;
  }

  /** Overrides the config of one owner, effective immediately (also for open files). */
  setConfigFor(owner: string, config: StorageChaosConfig): void {
    this.#perOwner.set(owner, config);
  }

  /** @internal The disk state of `owner`. */
  disk(owner: string): OwnerDisk {
    let disk = this.#disks.get(owner);
    if (disk === undefined) {
      disk = new OwnerDisk(owner);
      this.#disks.set(owner, disk);
    }
    return disk;
  }

  /** @internal A new, empty file of `owner`. */
  newFile(owner: string): FileNode {
    const id = this.#nextFileId++;
    // A per-file seed for never-written content and corrupt bits: no draw from the stream.
    const seed = (Math.imul(this.kernel.seed ^ 0x2545f491, 0x9e3779b1) + Math.imul(id, 0x85ebca6b)) >>> 0;
    return { id, image: new FileImage(seed, () => this.configFor(owner).unwrittenFill) };
  }

  /** True when faults may be injected now. */
  faultsOn(): boolean {
    return this.#chaosActive;
  }

  /** The fault-probability multiplier now (correlated bursts). */
  multiplier(): number {
    return this.#multiplier();
  }

  /** Records an injected fault in the seed's trace. */
  fault(kind: string, fields: TraceFields): void {
    this.kernel.trace("storage", "sim_fault", { kind, ...fields });
  }

  /**
   * How long an operation of `owner` takes, in ms: a stall episode's remaining time, plus the
   * base latency, plus the IOPS and bandwidth terms (divided by a throttle episode's slowdown).
   */
  latencyMs(owner: string, op: StorageOp, bytes: number): number {
    const cfg = this.configFor(owner);
    const machine = this.#machineOf(owner);
    const now = this.kernel.nowNs();
    let episode = this.#episodes.get(machine);
    if (episode !== undefined && episode.untilNs <= now) {
      this.#episodes.delete(machine);
      episode = undefined;
    }
    if (episode === undefined && this.#chaosActive) {
      const rolled = rollDiskEpisode(cfg, this.kernel.random, this.#multiplier());
      if (rolled !== null) {
        episode = { kind: rolled.kind, untilNs: now + msToNs(rolled.durationMs), slowdown: rolled.slowdown };
        this.#episodes.set(machine, episode);
        this.fault(rolled.kind === "stall" ? "disk_stall" : "disk_throttle", {
          machine,
          owner,
          ms: rolled.durationMs,
          slowdown: rolled.slowdown,
        });
      }
    }
    const stallMs = episode?.kind === "stall" ? (episode.untilNs - now) / NS_PER_MS : 0;
    const slowdown = episode?.kind === "throttle" ? episode.slowdown : 1;
    return stallMs + storageOpLatencyMs(cfg, op, bytes, this.kernel.random, slowdown);
  }

  /**
   * Power loss at `owner`: in-flight operations never complete, open handles die, every write not
   * yet synced independently survives, disappears or is torn, and namespace changes not yet
   * synced are undone unless `unsyncedMetadataSurvivesCrash` lets them through. "wipe" then
   * deletes every file of the owner.
   */
  crash(owner: string, kind: "crash" | "wipe" = "crash"): void {
    const disk = this.disk(owner);
    const cfg = this.configFor(owner);
    const rng = this.kernel.random;
    disk.incarnation += 1;
    for (const handle of disk.pending) handle.cancel();
    disk.pending.clear();
    if (kind === "wipe") {
      const files = disk.namespace.size;
      disk.namespace = new Map();
      disk.durableNamespace = new Map();
      disk.metadataOps = [];
      this.fault("storage_wipe", { owner, files });
      return;
    }
    // Namespace first: start from the durable one and replay surviving changes in order.
    const namespace = new Map(disk.durableNamespace);
    let metadataLost = 0;
    for (const op of disk.metadataOps) {
      if (op.awaiting.size > 0 && !crashFateOfUnsyncedMetadata(cfg, rng)) {
        metadataLost += 1;
        continue;
      }
      applyMetadata(namespace, op);
    }
    disk.namespace = namespace;
    disk.durableNamespace = new Map(namespace);
    disk.metadataOps = [];
    let survived = 0;
    let lost = 0;
    let torn = 0;
    const seen = new Set<FileNode>();
    for (const [path, node] of namespace) {
      if (seen.has(node)) continue;
      seen.add(node);
      const pendingOps = node.image.unsyncedOps;
      if (pendingOps === 0) continue;
      const summary = node.image.crash(cfg, rng);
      survived += summary.survived;
      lost += summary.lost;
      torn += summary.torn;
      if (summary.lost + summary.torn > 0) {
        this.fault("storage_crash_file", {
          owner,
          path,
          survived: summary.survived,
          lost: summary.lost,
          torn: summary.torn,
        });
      }
    }
    this.fault("storage_crash", { owner, survived, lost, torn, metadataLost });
  }
}
