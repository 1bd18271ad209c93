import { once } from "node:events";
import http from "node:http";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.ts";
import { createNetModule } from "../../src/net/index.ts";
import type { NetSocket } from "../../src/net/NetSocket.ts";
import { NodeNetworkProvider } from "../../src/node/index.ts";

const net = createNetModule(new NodeNetworkProvider());

async function echoServer() {
  const server = net.createServer((socket) => socket.pipe(socket));
  server.listen(0);
  await once(server, "listening");
  const address = server.address();
  if (address === null) throw new Error("no address");
  return { server, port: address.port };
}

function readAll(socket: NetSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}

describe("createNetModule on real loopback TCP", () => {
  it("connect returns at once; writes made before the connection is up are sent in order", async () => {
    const { server, port } = await echoServer();
    const socket = net.connect(port, "127.0.0.1");
    expect(socket.connecting).toBe(true);
    expect(socket.pending).toBe(true);
    socket.write("one ");
    socket.end("two");
    const connected = once(socket, "connect");
    const closed = once(socket, "close");
    expect(await readAll(socket)).toBe("one two");
    await connected;
    expect(socket.remotePort).toBe(port);
    expect(socket.bytesWritten).toBe(7);
    expect(socket.bytesRead).toBe(7);
    await closed;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(server.listening).toBe(false);
  });

  it("new Socket().connect(options, listener) and createConnection work like node:net", async () => {
    const { server, port } = await echoServer();
    const socket = new net.Socket();
    let connected = false;
    socket.connect({ port, host: "localhost" }, () => {
      connected = true;
    });
    await once(socket, "ready");
    expect(connected).toBe(true);
    expect(socket.readyState).toBe("open");
    socket.end("x");
    expect(await readAll(socket)).toBe("x");
    const second = net.createConnection({ port: String(port) });
    second.end("y");
    expect(await readAll(second)).toBe("y");
    server.close();
    await once(server, "close");
  });

  it("a refused connection emits an error with Node's code", async () => {
    const { server, port } = await echoServer();
    server.close();
    await once(server, "close");
    const socket = net.connect(port);
    const [error] = (await once(socket, "error")) as [Error & { code?: string }];
    expect(error.code).toBe("ECONNREFUSED");
    expect(socket.destroyed).toBe(true);
  });

  it("node:http's client runs over the shim (createConnection)", async () => {
    const server = http.createServer((req, res) => res.end(`hello ${req.url}`));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    const body = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          path: "/shim",
          createConnection: () => net.connect(port, "127.0.0.1") as never,
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => {
            text += c;
          });
          res.on("end", () => resolve(text));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(body).toBe("hello /shim");
    server.close();
  });

  it("bad arguments are refused naming the argument", () => {
    expect(() => net.connect(70000)).toThrow(InvalidArgumentError);
    expect(() => net.connect(70000)).toThrow(/port/);
    expect(() => net.connect({ path: "/tmp/sock" } as never)).toThrow(/path/);
    expect(() => createNetModule({} as never)).toThrow(/network/);
    const server = net.createServer();
    expect(() => server.listen(-1)).toThrow(/port/);
  });

  it("close() on a server that is not listening reports ERR_SERVER_NOT_RUNNING", async () => {
    const server = net.createServer();
    const error = await new Promise<Error | undefined>((resolve) => server.close(resolve));
    expect((error as Error & { code?: string }).code).toBe("ERR_SERVER_NOT_RUNNING");
  });
});
