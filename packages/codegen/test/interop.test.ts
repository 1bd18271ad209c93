// Wire compatibility with a Rust serde peer built from the GENERATED Rust module: the test writes
// `moonpool-codegen --emit rust` of test/fixtures/shop.ts into a copy of test/interop/rust and
// builds it with cargo, offline, against Debian's packaged serde crates. The peer then
// - reads the golden wire fixtures (test/interop/fixtures/shop.wire.tsv: JSON payloads and
//   moonpool frames per message type) and re-encodes and re-frames each to the same bytes,
// - round-trips what the generated TypeScript encoders write, which the generated decoders read back,
// - calls the TypeScript transport over loopback TCP, and serves a TypeScript client, one
//   Shop.place request/response each way.
// Needs cargo and Debian's serde crates (librust-serde-json-dev, librust-serde-derive-dev);
// .ci/run installs them and sets MOONPOOL_REQUIRE_RUST_INTEROP, so there it cannot be skipped.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { nodeProviders } from "@moonpool/core/node";
import { JsonCodec, NetTransport } from "@moonpool/transport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../src/index.ts";
import type { Node } from "./fixtures/edges.ts";
import type { Order } from "./fixtures/shop.ts";
import { decodeAddRequest, encodeAddRequest } from "./golden/counter.service.ts";
import { decodeNode, encodeNode } from "./golden/edges.service.ts";
import {
  decodeLineItem,
  decodeOrder,
  decodePriority,
  decodeReceipt,
  decodeShape,
  encodeLineItem,
  encodeOrder,
  encodePriority,
  encodeReceipt,
  encodeShape,
  serveShop,
  shopClient,
} from "./golden/shop.service.ts";
import { interopOrder, SHOP_ID, wireFixtureText } from "./support/wireFixtures.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const crate = join(here, "interop/rust");
const fixtureFile = join(here, "interop/fixtures/shop.wire.tsv");
const target = join(tmpdir(), "moonpool-codegen-interop-target");
const hasCargo = spawnSync("cargo", ["--version"]).status === 0;
const hasSerde = existsSync("/usr/share/cargo/registry") && hasCargo;
const required = process.env.MOONPOOL_REQUIRE_RUST_INTEROP === "1";
const codec = new JsonCodec();
const text = (wire: unknown) => new TextDecoder().decode(codec.encode(wire));
const parse = (json: string) => codec.decode(new TextEncoder().encode(json));

describe("golden wire fixtures", () => {
  it("the checked-in fixture file is what the generated encoders, the JSON codec and the framing write now", () => {
    expect(readFileSync(fixtureFile, "utf8")).toBe(wireFixtureText());
  });
});

type Case = {
  type: string;
  wire: unknown;
  decode: (w: unknown) => { ok: boolean; value?: unknown };
  value: unknown;
  sameBytes: boolean;
};

const cases: Case[] = [
  ...[
    { sku: "a-1", qty: 3, unitPrice: 2.5 },
    { sku: "b", qty: 4_294_967_295, unitPrice: 0.125, giftNote: "for you ✓" },
  ].map((value) => ({
    type: "LineItem",
    wire: encodeLineItem(value),
    decode: decodeLineItem,
    value,
    sameBytes: true,
  })),
  ...[
    { kind: "circle" as const, radius: 1.5 },
    { kind: "rect" as const, width: 2.25, height: 0.5 },
    { kind: "empty" as const },
  ].map((value) => ({
    type: "Shape",
    wire: encodeShape(value),
    decode: decodeShape,
    value,
    sameBytes: true,
  })),
  ...(["low", "normal", "high"] as const).map((value) => ({
    type: "Priority",
    wire: encodePriority(value),
    decode: decodePriority,
    value,
    sameBytes: true,
  })),
  ...[
    {
      orderId: 2n ** 64n - 1n,
      total: 99.5,
      shapes: [{ kind: "empty" as const }, { kind: "circle" as const, radius: 0.5 }],
    },
    // an integral f64 is "7" from JavaScript and "7.0" from serde: equal values, other bytes
    { orderId: 0n, total: 7, shapes: [] },
  ].map((value) => ({
    type: "Receipt",
    wire: encodeReceipt(value),
    decode: decodeReceipt,
    value,
    sameBytes: value.total !== 7,
  })),
  // Endpoint, UID, a nested service reference, bytes, a map, recursion, u64/i64 at their bounds.
  {
    type: "Order",
    wire: encodeOrder(interopOrder()),
    decode: decodeOrder,
    value: interopOrder(),
    sameBytes: true,
  },
  ...[
    { amount: 4_294_967_295, mode: "safe" as const },
    // Declaration order: a type whose wire form equals its in-memory form has no encoder, so its
    // keys go out in the object's own order (see the README).
    { amount: 0, tags: ["a", ""], mode: "fast" as const },
  ].map((value) => ({
    type: "counter::AddRequest",
    wire: encodeAddRequest(value),
    decode: decodeAddRequest,
    value,
    sameBytes: true,
  })),
  // Rust keywords as field names, non-identifier tags, literals, a 1-tuple, mutual recursion.
  {
    type: "edges::Node",
    wire: encodeNode(edgeNode()),
    decode: decodeNode,
    value: edgeNode(),
    sameBytes: true,
  },
];

function edgeNode(): Node {
  const leaf: Node = {
    type: "leaf",
    match: false,
    self: 0,
    version: 1,
    ratio: 0.5,
    label: "edge",
    single: [-(2n ** 63n)],
    next: null,
    children: [],
    event: { tag: "stop" },
    pairs: [],
    ids: [],
    maybe: null,
  };
  return {
    ...leaf,
    type: "root",
    match: true,
    self: 65535,
    single: [2n ** 63n - 1n],
    next: { target: leaf, weight: 0.25 },
    children: [leaf],
    status: "out of stock",
    meta: { a: { weight: 1.5, kind: "b" } },
    event: { tag: "move-to", x: -2.5 },
    pairs: [{ left: "l", right: "r" }],
    ids: [0n, 2n ** 64n - 1n],
    maybe: { target: null, weight: 0.75 },
  };
}

describe.runIf((hasCargo && hasSerde) || required)("wire compatibility with a Rust serde peer", () => {
  let peer: string;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    if (!hasCargo || !hasSerde)
      throw new Error("MOONPOOL_REQUIRE_RUST_INTEROP=1 but cargo or Debian's serde crates are missing");
    // Built from a copy: no Cargo.lock or target/ in the source tree, whatever cargo version runs.
    const copy = mkdtempSync(join(tmpdir(), "moonpool-codegen-interop-"));
    cpSync(crate, copy, {
      recursive: true,
      filter: (src) => !/Cargo\.lock$|[\\/]target$|(shop|counter|edges)\.rs$/.test(src),
    });
    // The peer's types are the generator's output, not a hand-written copy.
    const modules = generate(["fixtures/shop.ts", "fixtures/counter.ts", "fixtures/edges.ts"], {
      cwd: here,
      out: "golden",
      emit: ["rust"],
    });
    for (const rust of modules) {
      const name = rust.path.slice(rust.path.lastIndexOf("/") + 1);
      expect(rust.content).toBe(readFileSync(join(here, "golden", name), "utf8"));
      writeFileSync(join(copy, "src", name), rust.content);
    }
    execFileSync("cargo", ["build", "--release", "--offline", "-q"], {
      cwd: copy,
      env: { ...process.env, CARGO_TARGET_DIR: target },
      stdio: ["ignore", "ignore", "inherit"],
    });
    rmSync(copy, { recursive: true, force: true });
    peer = join(target, "release", "moonpool-codegen-interop");
  }, 300_000);

  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  });

  it("decodes every golden frame and payload into the generated Rust types and writes the same bytes back", () => {
    const output = execFileSync(peer, ["fixtures", fixtureFile], { encoding: "utf8" }).trimEnd().split("\n");
    const lines = wireFixtureText()
      .split("\n")
      .filter((l) => l.length > 0 && !l.startsWith("#"));
    expect(output).toEqual(lines.map((l) => `OK ${l.split("\t")[0]}`));
    expect(output).toContain("OK Order");
    expect(output).toContain("OK RequestEnvelope<Order>");
  });

  it("notices a fixture whose bytes differ (the check can fail)", () => {
    const dir = mkdtempSync(join(tmpdir(), "codegen-fixtures-"));
    try {
      const tampered = wireFixtureText()
        .replace('"qty":3,', '"qty":3 ,') // payload no longer what serde writes
        .replace(
          /^(Priority\t\w+\t"low"\t)(\w+)/m,
          (_m, head: string, frame: string) => `${head}${frame.slice(0, -2)}00`,
        );
      writeFileSync(join(dir, "t.tsv"), tampered);
      const output = execFileSync(peer, ["fixtures", join(dir, "t.tsv")], { encoding: "utf8" });
      expect(output).toMatch(/^FAIL LineItem: frame payload differs/m);
      expect(output).toMatch(/^FAIL Priority: checksum mismatch/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("serde decodes what the generated encoders write, and the generated decoders read serde's output", () => {
    const input = cases.map((c) => `${c.type}\t${text(c.wire)}`).join("\n");
    const output = execFileSync(peer, ["roundtrip"], { input: `${input}\n`, encoding: "utf8" })
      .trimEnd()
      .split("\n");
    expect(output).toHaveLength(cases.length);
    cases.forEach((c, i) => {
      const back = output[i] as string;
      expect(back, `${c.type} ${text(c.wire)}`).not.toMatch(/^ERROR/);
      if (c.sameBytes) expect(back).toBe(text(c.wire));
      const decoded = c.decode(parse(back));
      expect(decoded.ok, back).toBe(true);
      expect(decoded.value).toEqual(c.value);
    });
  });

  it("serde refuses what the generated validators refuse (a u32 out of range, an unknown variant)", () => {
    const input = [
      'LineItem\t{"sku":"x","qty":4294967296,"unit_price":1.5}',
      'Shape\t{"triangle":{"side":1}}',
    ].join("\n");
    const output = execFileSync(peer, ["roundtrip"], { input: `${input}\n`, encoding: "utf8" })
      .trimEnd()
      .split("\n");
    expect(output.every((l) => l.startsWith("ERROR"))).toBe(true);
    expect(decodeLineItem({ sku: "x", qty: 4294967296, unit_price: 1.5 }).ok).toBe(false);
    expect(decodeShape({ triangle: { side: 1 } }).ok).toBe(false);
  });

  it("the Rust peer calls Shop.place on the TypeScript transport over loopback TCP", async () => {
    const transport = await NetTransport.listen(nodeProviders(), { localAddress: "127.0.0.1:0", codec });
    const received: Order[] = [];
    const shop = serveShop(
      transport,
      {
        place(order) {
          received.push(order);
          return { orderId: order.id, total: 12.5, shapes: [order.shape, { kind: "empty" }] };
        },
        echo: (order) => order,
        lookup: () => null,
        count: () => received.length,
      },
      { wellKnown: SHOP_ID },
    );
    try {
      const child = spawn(peer, ["call", transport.localAddress.toString(), String(SHOP_ID)]);
      children.push(child);
      child.stdin.end(`${text(encodeOrder(interopOrder()))}\n`);
      const [reply] = await linesOf(child);
      expect(received).toEqual([interopOrder()]);
      expect(parse(reply!)).toEqual({
        Ok: {
          orderId: 2n ** 64n - 1n,
          total: 12.5,
          shapes: [{ rect: { width: 2.5, height: 0.75 } }, "empty"],
        },
      });
    } finally {
      await shop.handle.stop();
      await transport.close();
    }
  }, 60_000);

  it("a TypeScript client calls the Rust peer's Shop (the generated trait) over loopback TCP", async () => {
    const child = spawn(peer, ["serve", String(SHOP_ID), "2"]);
    children.push(child);
    const lines = createInterface({ input: child.stdout });
    const ready = await new Promise<string>((resolve) => lines.once("line", resolve));
    expect(ready).toMatch(/^READY 127\.0\.0\.1:\d+$/);
    const transport = await NetTransport.listen(nodeProviders(), { localAddress: "127.0.0.1:0", codec });
    try {
      const shop = shopClient(transport, { address: ready.slice("READY ".length), wellKnown: SHOP_ID });
      const order = interopOrder();
      expect(await shop.place.getReply(order)).toEqual({
        orderId: order.id,
        total: 3 * 0.5 + 4_294_967_295 * 1.25,
        shapes: [order.shape, { kind: "circle", radius: 0.5 }],
      });
      expect(await shop.echo.getReply(order)).toEqual(order);
    } finally {
      await transport.close();
    }
  }, 60_000);
});

/** Every stdout line of `child` once it exits 0. */
function linesOf(child: ChildProcess): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(out.trimEnd().split("\n")) : reject(new Error(`peer exited ${code}: ${err}`)),
    );
  });
}
