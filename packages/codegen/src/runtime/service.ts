// Registration and client helpers the generated `serveFoo`/`fooClient` functions call, so each
// generated module stays short. Only transport's public API is used.

import { InvalidArgumentError, NetworkAddress, type UID } from "@moonpool/core";
import type {
  NetTransport,
  ServerHandle,
  ServiceClient,
  ServiceDefinition,
  ServiceHandler,
  ServiceServer,
  ServiceSpec,
} from "@moonpool/transport";
import type { DecodeLimits } from "./options.ts";

/**
 * Where a server registers: a well-known id, a given base token, or (neither) a random base; and
 * the limits its request decoders apply (default: the safe defaults of `ValidateOptions`).
 */
export interface ServeAt {
  readonly wellKnown?: number;
  readonly base?: UID;
  readonly limits?: DecodeLimits;
}

/** What a generated `serveFoo` returns: the server (publish `server.toJSON()`) and its handle. */
export interface Serving<Server> {
  readonly server: Server;
  readonly handle: ServerHandle;
}

/**
 * Where a client's server is: `{ address, wellKnown }`, `{ address, base }`, or the blob a server
 * published (`server.toJSON()` or its JSON text).
 */
export type ClientTarget =
  | { readonly address: NetworkAddress | string; readonly wellKnown: number }
  | { readonly address: NetworkAddress | string; readonly base: UID }
  | { readonly address: unknown; readonly base_token: unknown }
  | string;

/** @internal */
export function serverOf<S extends ServiceSpec>(
  def: ServiceDefinition<S>,
  transport: NetTransport,
  at: ServeAt,
): ReturnType<ServiceDefinition<S>["init"]> {
  if (typeof at !== "object" || at === null)
    throw new InvalidArgumentError("at", "expected { wellKnown } or { base }");
  if (at.wellKnown !== undefined && at.base !== undefined)
    throw new InvalidArgumentError("at", "give either wellKnown or base, not both");
  if (at.wellKnown !== undefined) {
    if (!Number.isSafeInteger(at.wellKnown) || at.wellKnown < 0)
      throw new InvalidArgumentError("at.wellKnown", "expected a non-negative integer");
    return def.wellKnown(transport, at.wellKnown);
  }
  if (at.base !== undefined) return def.initAt(transport, at.base);
  return def.init(transport);
}

/** @internal */
export function clientOf<S extends ServiceSpec>(
  def: ServiceDefinition<S>,
  transport: NetTransport,
  target: ClientTarget,
): ReturnType<ServiceDefinition<S>["fromBase"]> {
  if (typeof target === "string" || (typeof target === "object" && target !== null && "base_token" in target))
    return def.fromJSON(transport, target);
  if (typeof target !== "object" || target === null)
    throw new InvalidArgumentError("target", "expected { address, wellKnown }, { address, base } or a blob");
  const address =
    typeof target.address === "string"
      ? NetworkAddress.parse(target.address)
      : (target.address as NetworkAddress);
  if (!(address instanceof NetworkAddress))
    throw new InvalidArgumentError("target.address", 'expected a NetworkAddress or "ip:port"');
  if ("wellKnown" in target) return def.clientWellKnown(transport, address, target.wellKnown);
  if ("base" in target) return def.fromBase(transport, address, target.base);
  throw new InvalidArgumentError("target", "expected wellKnown or base beside address");
}

/** @internal Builds the definition a server or client with its own limits uses. */
type Define<S extends ServiceSpec> = (limits?: DecodeLimits) => ServiceDefinition<S>;

/**
 * @internal A generated `serveFoo`: registers a server (see {@link ServeAt}) and serves `handler`
 * on it; `def` is the definition with the default limits, `define` builds one for `at.limits`.
 */
export function serving<S extends ServiceSpec>(define: Define<S>, def: ServiceDefinition<S>) {
  return (
    transport: NetTransport,
    handler: ServiceHandler<S>,
    at: ServeAt = {},
  ): Serving<ServiceServer<S>> => {
    const server = serverOf(at.limits === undefined ? def : define(at.limits), transport, at);
    return { server, handle: server.serve(handler) };
  };
}

/** @internal A generated `fooClient`: a client at `target` whose response decoders apply `limits`. */
export function clientFor<S extends ServiceSpec>(define: Define<S>, def: ServiceDefinition<S>) {
  return (transport: NetTransport, target: ClientTarget, limits?: DecodeLimits): ServiceClient<S> =>
    clientOf(limits === undefined ? def : define(limits), transport, target);
}
