// A small Redis-compatible cache (RESP2: PING, GET, SET, DEL, INCR, QUIT and the handshake
// commands clients send), written against plain node:net: on real TCP it is a real server; inside
// a simulated process node:net is that process's simulated network, with no change here.
import net from "node:net";

type Reply = string | number | null | Error | Reply[];

function encode(reply: Reply): string {
  if (reply === null) return "$-1\r\n";
  if (typeof reply === "number") return `:${reply}\r\n`;
  if (reply instanceof Error) return `-${reply.message}\r\n`;
  if (Array.isArray(reply)) return `*${reply.length}\r\n${reply.map(encode).join("")}`;
  return `$${Buffer.byteLength(reply)}\r\n${reply}\r\n`;
}

/** Parses RESP arrays of bulk strings (and inline commands) from a growing buffer. */
export class RespParser {
  #buffer: Buffer<ArrayBufferLike> = Buffer.alloc(0);

  push(chunk: Buffer): string[][] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const commands: string[][] = [];
    for (;;) {
      const parsed = this.#one();
      if (parsed === null) return commands;
      commands.push(parsed);
    }
  }

  #one(): string[] | null {
    const buf = this.#buffer;
    if (buf.length === 0) return null;
    const lineEnd = buf.indexOf("\r\n");
    if (lineEnd < 0) return null;
    if (buf[0] !== 0x2a /* '*' */) {
      this.#buffer = buf.subarray(lineEnd + 2);
      return buf.subarray(0, lineEnd).toString("utf8").trim().split(/\s+/);
    }
    const count = Number(buf.subarray(1, lineEnd).toString("latin1"));
    let at = lineEnd + 2;
    const args: string[] = [];
    for (let i = 0; i < count; i++) {
      const end = buf.indexOf("\r\n", at);
      if (end < 0 || buf[at] !== 0x24 /* '$' */) return null;
      const len = Number(buf.subarray(at + 1, end).toString("latin1"));
      if (buf.length < end + 2 + len + 2) return null;
      args.push(buf.subarray(end + 2, end + 2 + len).toString("utf8"));
      at = end + 2 + len + 2;
    }
    this.#buffer = buf.subarray(at);
    return args;
  }
}

/** The cache's data, shared by its connections. */
export class CacheData {
  readonly values = new Map<string, string>();

  run(args: readonly string[]): Reply {
    const [name = "", ...rest] = args;
    switch (name.toUpperCase()) {
      case "PING":
        return rest[0] ?? "PONG";
      case "GET":
        return this.values.get(rest[0] ?? "") ?? null;
      case "SET":
        this.values.set(rest[0] ?? "", rest[1] ?? "");
        return "OK";
      case "DEL":
        return rest.filter((k) => this.values.delete(k)).length;
      case "INCR": {
        const key = rest[0] ?? "";
        const current = Number(this.values.get(key) ?? "0");
        if (!Number.isSafeInteger(current)) return new Error("ERR value is not an integer or out of range");
        this.values.set(key, String(current + 1));
        return current + 1;
      }
      case "INFO":
        return "# Server\r\nredis_version:7.0.0\r\nloading:0\r\n";
      case "CLIENT":
      case "SELECT":
      case "QUIT":
        return "OK";
      default:
        return new Error(`ERR unknown command '${name}'`);
    }
  }
}

/** Serves `data` on `port` (and `host`: every interface without one, the process's IP in a simulation). */
export function startCacheServer(port: number, host?: string, data = new CacheData()): net.Server {
  const server = net.createServer((socket) => {
    const parser = new RespParser();
    socket.on("data", (chunk: Buffer) => {
      for (const command of parser.push(chunk)) {
        socket.write(encode(data.run(command)));
        if (command[0]?.toUpperCase() === "QUIT") socket.end();
      }
    });
    socket.on("error", () => socket.destroy());
  });
  server.listen(port, host);
  return server;
}
