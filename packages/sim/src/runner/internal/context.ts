// Builds the SimContext an actor receives, and the labelled random wrapper used when a
// determinism check needs to say which draws preceded a divergence.
import type {
  NetworkProvider,
  Providers,
  RandomProvider,
  StorageProvider,
  TimeProvider,
} from "@moonpool/core";
import { createNetModule } from "@moonpool/core/net";
import type { ActorScope, SimKernel, SimRandom } from "../../engine/kernel.ts";
import type { SeedDevices } from "../devices.ts";
import { checkTraceFields } from "../trace.ts";
import type { SimContext } from "../types.ts";
import { parkAfterKill } from "./incarnation.ts";
import type { LazyAbort } from "./lazy-abort.ts";

/** What an actor's context needs from the seed's world. */
export interface ContextWorld {
  readonly kernel: SimKernel;
  readonly devices: SeedDevices;
  readonly state: Map<string, unknown>;
  /** Every actor of the seed, in boot order. */
  readonly directory: readonly { readonly name: string; readonly ip: string }[];
  peerIp(name: string): string;
  /** The actor's time provider as its context sees it (e.g. with buggified sleeps). */
  actorTime?(scope: ActorScope): TimeProvider;
  /** Where labelled draws go, or null when draws are not labelled. */
  readonly drawLog: DrawLabel[] | null;
}

/** One draw from an actor's random provider, with the counted-stream position before it. */
export interface DrawLabel {
  readonly draws: number;
  readonly label: string;
}

export function createContext(
  world: ContextWorld,
  scope: ActorScope,
  name: string,
  ip: string,
  shutdown: LazyAbort,
): SimContext {
  const random = world.drawLog ? labelledRandom(scope.random, name, world.drawLog) : scope.random;
  // This incarnation's own: they act for it and park once it is killed. The network provider is
  // asked for now (the order of `networkFor` calls is part of the seed); the storage view only
  // when first read (its disk is keyed by IP, so when does not matter).
  const network = world.devices.networkFor(ip, scope.owner);
  let storage: StorageProvider | null = null;
  const storageView = (): StorageProvider => {
    storage ??= parkAfterKill(world.devices.storageFor(ip), scope);
    return storage;
  };
  const providers: Providers = {
    time: world.actorTime ? world.actorTime(scope) : scope.time,
    task: scope.task,
    random,
    network,
    get storage() {
      return storageView();
    },
    set storage(value: StorageProvider) {
      shadow(this, "storage", value);
    },
  };
  const kernel = world.kernel;
  scope.nodeNet = lazyNodeNet(world, network, ip);
  return {
    time: providers.time,
    task: providers.task,
    random: providers.random,
    network,
    get storage() {
      return storageView();
    },
    set storage(value: StorageProvider) {
      shadow(this, "storage", value);
    },
    providers,
    ip,
    name,
    get shutdown() {
      return shutdown.signal;
    },
    set shutdown(value: AbortSignal) {
      shadow(this, "shutdown", value);
    },
    state: world.state,
    peers: () => world.directory.filter((a) => a.name !== name).map((a) => ({ name: a.name, ip: a.ip })),
    peer: (peerName) => world.peerIp(peerName),
    trace(eventName, fields) {
      checkTraceFields(eventName, fields);
      kernel.trace(name, eventName, fields);
    },
  };
}

/** `node:net` inside this actor: its own network, names of actors resolved, loopback is itself. */
function lazyNodeNet(world: ContextWorld, network: NetworkProvider, ip: string): () => object {
  let module: object | null = null;
  const resolve = (host: string): string => {
    if (host === "localhost" || host === "127.0.0.1" || host === "::1") return ip;
    return world.directory.find((a) => a.name === host)?.ip ?? host;
  };
  return () => {
    module ??= createNetModule(network, { resolve, listenHost: ip });
    return module;
  };
}

function labelledRandom(r: SimRandom, actor: string, log: DrawLabel[]): RandomProvider {
  const note = (what: string, value: unknown, before: number) => {
    log.push({ draws: before, label: `${actor}.${what} -> ${String(value)}` });
  };
  return {
    random() {
      const before = r.draws;
      const v = r.random();
      note("random()", v, before);
      return v;
    },
    int(min, maxExclusive) {
      const before = r.draws;
      const v = r.int(min, maxExclusive);
      note(`int(${min}, ${maxExclusive})`, v, before);
      return v;
    },
    bool(p) {
      const before = r.draws;
      const v = r.bool(p);
      note(`bool(${p ?? ""})`, v, before);
      return v;
    },
    bytes(n) {
      const before = r.draws;
      const v = r.bytes(n);
      note(`bytes(${n})`, `${v.length} bytes`, before);
      return v;
    },
    pick(items) {
      const before = r.draws;
      const v = r.pick(items);
      note(`pick([${items.length}])`, typeof v === "object" ? "<object>" : v, before);
      return v;
    },
  };
}

/**
 * Assigning a lazily built field (`ctx.storage = ...`, or `Object.assign(Object.create(ctx),
 * { storage })` to wrap a context) behaves as it does on a plain data property: `target` gets
 * its own value and the original context is untouched.
 */
function shadow(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
