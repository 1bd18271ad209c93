import type { NetworkAddress, TaskHandle } from "@moonpool/core";
import { Endpoint, InvalidArgumentError, UID } from "@moonpool/core";
import { JsonCodec } from "../codec/JsonCodec.ts";
import { addressFromValue, uidFromValue } from "./envelope.ts";
import { ReplyError } from "./errors.ts";
import type { NetTransport } from "./NetTransport.ts";
import type { RequestDecoder, RequestStream } from "./RequestStream.ts";
import { type ResponseDecoder, ServiceEndpoint } from "./ServiceEndpoint.ts";

/** One method of a service: its request and response types, and optional runtime checks. */
export interface MethodSpec<Req, Resp> {
  readonly decodeRequest?: RequestDecoder<Req> | undefined;
  readonly decodeResponse?: ResponseDecoder<Resp> | undefined;
  /** Type carrier only. */
  readonly __types?: (req: Req) => Resp;
}

/** Declares a method. `decodeRequest`/`decodeResponse` validate decoded values (throw to reject). */
export function method<Req, Resp>(
  options: { decodeRequest?: RequestDecoder<Req>; decodeResponse?: ResponseDecoder<Resp> } = {},
): MethodSpec<Req, Resp> {
  return { decodeRequest: options.decodeRequest, decodeResponse: options.decodeResponse };
}

export type ServiceSpec = Record<string, MethodSpec<any, any>>;
export type RequestOf<M> = M extends MethodSpec<infer Q, infer _R> ? Q : never;
export type ResponseOf<M> = M extends MethodSpec<infer _Q, infer R> ? R : never;

/** Implementation of a service: one async function per method. Throwing answers `Application`. */
export type ServiceHandler<S extends ServiceSpec> = {
  [K in keyof S]: (
    request: RequestOf<S[K]>,
    context: { signal: AbortSignal },
  ) => Promise<ResponseOf<S[K]>> | ResponseOf<S[K]>;
};

/** The serialized form of an interface: where it lives and its base token (moonpool's layout). */
export interface InterfaceBlob {
  address: { ip: string; port: number; flags: number };
  base_token: { first: bigint; second: bigint };
}

interface InterfaceBase {
  readonly baseToken: UID;
  readonly address: NetworkAddress;
  readonly isRemote: boolean;
  /** `{ address, base_token }`: send it to clients, who rebuild the interface with `fromJSON`. */
  toJSON(): InterfaceBlob;
  /** The blob as JSON text with exact 64-bit tokens. */
  toJSONString(): string;
}

/** Server side (local mode): each method is a {@link RequestStream}. */
export type ServiceServer<S extends ServiceSpec> = {
  readonly [K in keyof S]: RequestStream<RequestOf<S[K]>, ResponseOf<S[K]>>;
} & InterfaceBase & {
    /**
     * Runs `handler`: one task per method named `<service>_<method>`, handling that method's
     * requests one at a time. A returned value is sent; a thrown `ReplyError` is sent as is; any
     * other throw is sent as `Application { message }`. When the server stops (`ServerHandle.stop`,
     * `close()`, transport close) every unanswered request, running or queued, gets `BrokenPromise`.
     */
    serve(handler: ServiceHandler<S>): ServerHandle;
    /** Closes every method stream (see `RequestStream.close`). */
    close(): void;
  };

/** Client side (remote mode): each method is a {@link ServiceEndpoint} with the delivery modes. */
export type ServiceClient<S extends ServiceSpec> = {
  readonly [K in keyof S]: ServiceEndpoint<RequestOf<S[K]>, ResponseOf<S[K]>>;
} & InterfaceBase;

/** A running `serve()`. */
export class ServerHandle {
  readonly #close: () => void;
  readonly #tasks: TaskHandle<void>[];
  readonly #running: Set<Promise<unknown>>;
  #stopped = false;

  constructor(close: () => void, tasks: TaskHandle<void>[], running: Set<Promise<unknown>> = new Set()) {
    this.#close = close;
    this.#tasks = tasks;
    this.#running = running;
  }

  /** Handler calls still running. */
  get running(): number {
    return this.#running.size;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * Stops serving: unregisters every method endpoint (later requests get ENDPOINT_NOT_FOUND),
   * answers every queued or in-progress request with `BrokenPromise` at once, aborts the
   * `signal` handlers received, and resolves once every running handler has settled, so the
   * caller can then release what the handlers use (files, connections). A handler that ignores
   * its signal and never settles keeps `stop()` pending. Idempotent.
   */
  async stop(): Promise<void> {
    if (!this.#stopped) {
      this.#stopped = true;
      this.#close();
      for (const task of this.#tasks) task.abort();
    }
    await Promise.all([...this.#running].map((p) => p.catch(() => {})));
    await Promise.all(this.#tasks.map((t) => t.join().catch(() => {})));
  }
}

/** What `defineService` returns: constructors for servers and clients of one service. */
export interface ServiceDefinition<S extends ServiceSpec> {
  readonly name: string;
  /** Method names in index order (method `i` lives at `base.adjusted(i + 1)`). */
  readonly methods: readonly (keyof S & string)[];
  readonly METHOD_COUNT: number;
  readonly spec: S;
  /** Server at a random base token. */
  init(transport: NetTransport): ServiceServer<S>;
  initAt(transport: NetTransport, base: UID): ServiceServer<S>;
  /** Server at `UID.wellKnown(id)` (use ids >= `WellKnownToken.FirstAvailable`). */
  wellKnown(transport: NetTransport, id: number): ServiceServer<S>;
  fromBase(transport: NetTransport, address: NetworkAddress, base: UID): ServiceClient<S>;
  clientWellKnown(transport: NetTransport, address: NetworkAddress, id: number): ServiceClient<S>;
  /** Rebuilds a client from a blob (object or JSON text) produced by `toJSON()`. */
  fromJSON(transport: NetTransport, blob: unknown): ServiceClient<S>;
  /** The token of `method` for an interface at `base`. */
  methodToken(base: UID, method: keyof S & string): UID;
}

const RESERVED = new Set([
  "baseToken",
  "address",
  "isRemote",
  "toJSON",
  "toJSONString",
  "serve",
  "close",
  "then",
]);
const blobCodec = new JsonCodec();

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/**
 * Defines a service from a method table; key order gives the method indices (1-based, as
 * moonpool's `#[service]`): reordering or removing methods changes the protocol, appending is
 * safe. Interfaces are data: a server or client serializes to `{address, base_token}`.
 *
 * @example
 * ```ts
 * const Calculator = defineService("Calculator", {
 *   add: method<{ a: number; b: number }, number>(),
 * });
 * const server = Calculator.init(serverTransport);
 * const handle = server.serve({ add: ({ a, b }) => a + b });
 * const client = Calculator.fromJSON(clientTransport, server.toJSONString());
 * await client.add.getReply({ a: 2, b: 3 }); // 5
 * ```
 */
export function defineService<S extends ServiceSpec>(name: string, spec: S): ServiceDefinition<S> {
  if (typeof name !== "string" || name.length === 0)
    throw new InvalidArgumentError("name", "expected a non-empty string");
  const methods = Object.keys(spec) as (keyof S & string)[];
  if (methods.length === 0) throw new InvalidArgumentError("spec", `service ${name} has no methods`);
  for (const m of methods) {
    if (RESERVED.has(m))
      throw new InvalidArgumentError("spec", `method name "${m}" is reserved (service ${name})`);
  }

  const base = (address: NetworkAddress, baseToken: UID, isRemote: boolean): InterfaceBase => {
    const blob = (): InterfaceBlob => ({ address: address.toJSON(), base_token: baseToken.toJSON() });
    return {
      baseToken,
      address,
      isRemote,
      toJSON: blob,
      toJSONString: () => new TextDecoder().decode(blobCodec.encode(blob())),
    };
  };

  const server = (transport: NetTransport, baseToken: UID): ServiceServer<S> => {
    const streams = methods.map((m, i) =>
      transport.registerHandler(baseToken.adjusted(i + 1), spec[m]!.decodeRequest),
    ) as RequestStream<unknown, unknown>[];
    const close = () => {
      for (const s of streams) s.close();
    };
    const obj: Record<string, unknown> = { ...base(transport.localAddress, baseToken, false), close };
    methods.forEach((m, i) => {
      obj[m] = streams[i];
    });
    obj.serve = (handler: ServiceHandler<S>): ServerHandle => {
      for (const m of methods) {
        if (typeof handler?.[m] !== "function")
          throw new InvalidArgumentError("handler", `missing method "${m}"`);
      }
      const running = new Set<Promise<unknown>>();
      const tasks = methods.map((m, i) =>
        transport.providers.task.spawn(`${snake(name)}_${m}`, (signal) =>
          serveMethod(streams[i]!, handler[m] as never, signal, running),
        ),
      );
      return new ServerHandle(close, tasks, running);
    };
    return obj as ServiceServer<S>;
  };

  const client = (transport: NetTransport, address: NetworkAddress, baseToken: UID): ServiceClient<S> => {
    const obj: Record<string, unknown> = { ...base(address, baseToken, true) };
    methods.forEach((m, i) => {
      obj[m] = new ServiceEndpoint(
        transport,
        new Endpoint(address, baseToken.adjusted(i + 1)),
        spec[m]!.decodeResponse,
      );
    });
    return obj as ServiceClient<S>;
  };

  return {
    name,
    methods,
    METHOD_COUNT: methods.length,
    spec,
    init: (t) => server(t, t.allocateInterfaceToken()),
    initAt: (t, b) => server(t, b),
    wellKnown: (t, id) => server(t, UID.wellKnown(id)),
    fromBase: (t, address, b) => client(t, address, b),
    clientWellKnown: (t, address, id) => client(t, address, UID.wellKnown(id)),
    fromJSON: (t, blob) => {
      let value = blob;
      if (typeof blob === "string") {
        try {
          value = blobCodec.decode(new TextEncoder().encode(blob));
        } catch (error) {
          throw new InvalidArgumentError("blob", `not JSON: ${(error as Error).message}`);
        }
      }
      const record = (value ?? {}) as Record<string, unknown>;
      const address = addressFromValue(record.address);
      const token = uidFromValue(record.base_token);
      if (!address || !token) {
        throw new InvalidArgumentError(
          "blob",
          `expected {address: {ip, port, flags}, base_token: {first, second}}`,
        );
      }
      return client(t, address, token);
    },
    methodToken: (b, m) => {
      const i = methods.indexOf(m);
      if (i < 0) throw new InvalidArgumentError("method", `service ${name} has no method "${m}"`);
      return b.adjusted(i + 1);
    },
  };
}

async function serveMethod(
  stream: RequestStream<unknown, unknown>,
  handler: (request: unknown, context: { signal: AbortSignal }) => unknown,
  signal: AbortSignal,
  running: Set<Promise<unknown>>,
): Promise<void> {
  while (!signal.aborted) {
    let next: Awaited<ReturnType<typeof stream.recv>>;
    try {
      next = await stream.recv(signal);
    } catch {
      return; // aborted
    }
    if (next === undefined) return;
    const { request, reply } = next;
    const call = Promise.resolve().then(() => handler(request, { signal }));
    running.add(call);
    try {
      reply.send(await call);
    } catch (error) {
      reply.sendError(
        error instanceof ReplyError
          ? error
          : ReplyError.application(error instanceof Error ? error.message : String(error)),
      );
    } finally {
      running.delete(call);
      reply.break(); // no-op when answered (or already broken by stop())
    }
  }
}
