// The HTTP API as a plain node:http request handler (no framework): the same function serves
// real sockets and simulated ones.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type ItemStore, StoreBusyError } from "./store.ts";

/** A shared counter (the cache, reached with a Redis client). */
export interface VisitCounter {
  incr(key: string): Promise<number>;
}

/** What the handler serves from. */
export interface HandlerDeps {
  readonly store: ItemStore;
  /** Optional: `POST /visits` answers 501 without one. */
  readonly visits?: VisitCounter | undefined;
}

const KEY = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_BODY = 64 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * `GET /health`; `GET /items/:key` -> `{value, version}` or 404; `PUT /items/:key` (body = value)
 * -> `{version}` once durable, 503 when the store is busy (nothing written); `POST /visits` ->
 * `{visits}` from the cache (502 when it is unreachable).
 */
export function createHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: String((error as Error)?.message ?? error) });
      else res.destroy();
    });
  };
}

async function handle(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://service");
  if (url.pathname === "/health") return send(res, 200, { ok: true, items: deps.store.size });
  if (url.pathname === "/visits") {
    if (req.method !== "POST") return send(res, 405, { error: "use POST" });
    if (!deps.visits) return send(res, 501, { error: "no cache configured" });
    try {
      return send(res, 200, { visits: await deps.visits.incr("visits") });
    } catch (error) {
      return send(res, 502, { error: `cache: ${(error as Error).message}` });
    }
  }
  const match = /^\/items\/([^/]+)$/.exec(url.pathname);
  if (!match) return send(res, 404, { error: `no route ${url.pathname}` });
  const key = decodeURIComponent(match[1] as string);
  if (!KEY.test(key)) return send(res, 400, { error: `key must match ${KEY.source}` });
  if (req.method === "GET") {
    const item = deps.store.get(key);
    return item ? send(res, 200, item) : send(res, 404, { error: `no item ${key}` });
  }
  if (req.method === "PUT") {
    const value = await readBody(req);
    if (value === null) return send(res, 413, { error: `body over ${MAX_BODY} bytes` });
    try {
      const item = await deps.store.put(key, value);
      return send(res, 200, { version: item.version });
    } catch (error) {
      if (error instanceof StoreBusyError) return send(res, 503, { error: error.message });
      throw error;
    }
  }
  return send(res, 405, { error: "use GET or PUT" });
}
