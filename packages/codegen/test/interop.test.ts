// Wire compatibility with a Rust serde peer: values written by the generated encoders and the
// JSON codec are decoded by serde_json into the Rust types a moonpool service declares
// (test/interop/rust), written back by serde, and decoded by the generated decoders into the
// same values; where serde's number formatting allows, the bytes are identical both ways.
// Needs cargo and Debian's serde crates (librust-serde-json-dev, librust-serde-derive-dev);
// .ci/run installs them and sets MOONPOOL_REQUIRE_RUST_INTEROP, so there it cannot be skipped.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { JsonCodec } from "@moonpool/transport";
import { beforeAll, describe, expect, it } from "vitest";
import {
  decodeLineItem,
  decodePriority,
  decodeReceipt,
  decodeShape,
  encodeLineItem,
  encodePriority,
  encodeReceipt,
  encodeShape,
} from "./golden/shop.service.ts";

const crate = fileURLToPath(new URL("./interop/rust/", import.meta.url));
const target = join(tmpdir(), "moonpool-codegen-interop-target");
const hasCargo = spawnSync("cargo", ["--version"]).status === 0;
const hasSerde = existsSync("/usr/share/cargo/registry") && hasCargo;
const required = process.env.MOONPOOL_REQUIRE_RUST_INTEROP === "1";
const codec = new JsonCodec();
const text = (wire: unknown) => new TextDecoder().decode(codec.encode(wire));

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
];

describe.runIf((hasCargo && hasSerde) || required)("wire compatibility with a Rust serde peer", () => {
  let peer: string;

  beforeAll(() => {
    if (!hasCargo || !hasSerde)
      throw new Error("MOONPOOL_REQUIRE_RUST_INTEROP=1 but cargo or Debian's serde crates are missing");
    // Built from a copy: no Cargo.lock or target/ in the source tree, whatever cargo version runs.
    const copy = mkdtempSync(join(tmpdir(), "moonpool-codegen-interop-"));
    cpSync(crate, copy, { recursive: true, filter: (src) => !/Cargo\.lock$|[\\/]target$/.test(src) });
    execFileSync("cargo", ["build", "--release", "--offline", "-q"], {
      cwd: copy,
      env: { ...process.env, CARGO_TARGET_DIR: target },
      stdio: ["ignore", "ignore", "inherit"],
    });
    peer = join(target, "release", "moonpool-codegen-interop");
  }, 300_000);

  it("serde decodes what the generated encoders write, and the generated decoders read serde's output", () => {
    const input = cases.map((c) => `${c.type}\t${text(c.wire)}`).join("\n");
    const output = execFileSync(peer, { input: `${input}\n`, encoding: "utf8" })
      .trimEnd()
      .split("\n");
    expect(output).toHaveLength(cases.length);
    cases.forEach((c, i) => {
      const back = output[i] as string;
      expect(back, `${c.type} ${text(c.wire)}`).not.toMatch(/^ERROR/);
      if (c.sameBytes) expect(back).toBe(text(c.wire));
      const decoded = c.decode(codec.decode(new TextEncoder().encode(back)));
      expect(decoded.ok, back).toBe(true);
      expect(decoded.value).toEqual(c.value);
    });
  });

  it("serde refuses what the generated validators refuse (a u32 out of range, an unknown variant)", () => {
    const input = [
      'LineItem\t{"sku":"x","qty":4294967296,"unit_price":1.5}',
      'Shape\t{"triangle":{"side":1}}',
    ].join("\n");
    const output = execFileSync(peer, { input: `${input}\n`, encoding: "utf8" })
      .trimEnd()
      .split("\n");
    expect(output.every((l) => l.startsWith("ERROR"))).toBe(true);
    expect(decodeLineItem({ sku: "x", qty: 4294967296, unit_price: 1.5 }).ok).toBe(false);
    expect(decodeShape({ triangle: { side: 1 } }).ok).toBe(false);
  });
});
