// Validation of a realistic request (nested object, 20 items, bigint fields), valid and invalid:
// the generated validator against zod 4 (interpreted and, when available, z.compile), TypeBox's
// compiled checker (`Check`, and `Errors()` for the invalid message) and valibot, on the same
// message in the same run. Also the generated wire decoder on what the JSON codec decoded, against
// the codec's own decode time, and the generated encoder before the codec's encode.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { generate } from "@moonpool/codegen";
import { JsonCodec } from "@moonpool/transport";
import Type from "typebox";
import { Compile } from "typebox/compile";
import * as v from "valibot";
import { z } from "zod";
import type { BenchSuite } from "../harness.ts";
import { keep, measure } from "../harness.ts";
import { decodeBenchOrder, encodeBenchOrder, validateBenchOrder } from "./order.service.ts";
import type { BenchOrder } from "./order.ts";

const U64_MAX = 18446744073709551615n;

const zodOrder = z.object({
  id: z.bigint().min(0n).max(U64_MAX),
  createdAt: z.bigint().min(0n).max(U64_MAX),
  customer: z.object({
    name: z.string(),
    email: z.string(),
    tier: z.enum(["gold", "silver", "basic"]),
  }),
  items: z.array(
    z.object({
      sku: z.string(),
      qty: z.number().int().min(0).max(4294967295),
      price: z.number(),
      tags: z.array(z.string()),
    }),
  ),
  total: z.number(),
  note: z.string().optional(),
});

const valibotOrder = v.object({
  id: v.pipe(v.bigint(), v.minValue(0n), v.maxValue(U64_MAX)),
  createdAt: v.pipe(v.bigint(), v.minValue(0n), v.maxValue(U64_MAX)),
  customer: v.object({
    name: v.string(),
    email: v.string(),
    tier: v.picklist(["gold", "silver", "basic"]),
  }),
  items: v.array(
    v.object({
      sku: v.string(),
      qty: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(4294967295)),
      price: v.number(),
      tags: v.array(v.string()),
    }),
  ),
  total: v.number(),
  note: v.optional(v.string()),
});

const typeboxOrder = Compile(
  Type.Object({
    id: Type.BigInt({ minimum: 0n, maximum: U64_MAX }),
    createdAt: Type.BigInt({ minimum: 0n, maximum: U64_MAX }),
    customer: Type.Object({
      name: Type.String(),
      email: Type.String(),
      tier: Type.Union([Type.Literal("gold"), Type.Literal("silver"), Type.Literal("basic")]),
    }),
    items: Type.Array(
      Type.Object({
        sku: Type.String(),
        qty: Type.Integer({ minimum: 0, maximum: 4294967295 }),
        price: Type.Number(),
        tags: Type.Array(Type.String()),
      }),
    ),
    total: Type.Number(),
    note: Type.Optional(Type.String()),
  }),
);

function order(): BenchOrder {
  return {
    id: 18446744073709551000n,
    createdAt: 1764763200000n,
    customer: { name: "Ada Lovelace", email: "ada@example.com", tier: "gold" },
    items: Array.from({ length: 20 }, (_, i) => ({
      sku: `sku-${i}`,
      qty: i + 1,
      price: 9.99 + i,
      tags: ["new", i % 2 === 0 ? "even" : "odd"],
    })),
    total: 1234.5,
    note: "leave at the door",
  };
}

/** Median ops/s of each function over `rounds` rounds in which every function runs in turn for `ms`. */
function interleaved(fns: Record<string, () => unknown>, rounds: number, ms: number): Map<string, number> {
  const runs = new Map<string, number[]>(Object.keys(fns).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++)
    for (const [name, fn] of Object.entries(fns)) runs.get(name)!.push(measure(fn, { minMs: ms }));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  return new Map([...runs].map(([k, xs]) => [k, median(xs)]));
}

// A declaration file with `n` services of three methods each, over shared message types.
function manyServices(n: number): string {
  const out = [
    "export interface Item { sku: string; qty: number; tags: string[] }",
    "export interface Req { id: bigint; items: Item[]; note?: string }",
    'export type Resp = { kind: "ok"; total: number } | { kind: "refused"; reason: string };',
  ];
  for (let i = 0; i < n; i++) {
    out.push(
      `/** @service */\nexport interface Service${i} {\n  put(req: Req): Promise<Resp>;\n  get(req: { id: bigint }): Promise<Req | null>;\n  drop(req: { id: bigint }): Promise<void>;\n}`,
    );
  }
  return `${out.join("\n\n")}\n`;
}

export default (async (r) => {
  const valid = order();
  const invalid = order() as any;
  invalid.items[13].qty = "14";

  // Every validator must agree before anything is timed.
  const agree = [
    validateBenchOrder(valid).ok,
    zodOrder.safeParse(valid).success,
    v.safeParse(valibotOrder, valid).success,
    typeboxOrder.Check(valid),
  ];
  const refuse = [
    validateBenchOrder(invalid).ok,
    zodOrder.safeParse(invalid).success,
    v.safeParse(valibotOrder, invalid).success,
    typeboxOrder.Check(invalid),
  ];
  if (agree.some((ok) => !ok) || refuse.some((ok) => ok))
    throw new Error(`validators disagree: valid ${agree}, invalid ${refuse}`);

  // The validators are timed in interleaved rounds (each in turn, several times; medians), so a
  // change in the machine's load moves all of them alike and the ratios stay meaningful.
  // TypeBox: a boolean Check on the valid order; on the invalid one, Check and then its errors
  // (what a server needs to say why it refused), as validateT's result carries them.
  const contestants: Record<string, () => unknown> = {
    genValid: () => validateBenchOrder(valid),
    genInvalid: () => validateBenchOrder(invalid),
    zodValid: () => zodOrder.safeParse(valid),
    zodInvalid: () => zodOrder.safeParse(invalid),
    valibotValid: () => v.safeParse(valibotOrder, valid),
    valibotInvalid: () => v.safeParse(valibotOrder, invalid),
    typeboxValid: () => typeboxOrder.Check(valid),
    typeboxInvalid: () => typeboxOrder.Check(invalid) || [...typeboxOrder.Errors(invalid)],
  };
  // zod's ahead-of-time mode, when this zod has it (4.5+).
  const compile = (z as unknown as { compile?: (s: unknown) => typeof zodOrder }).compile;
  if (typeof compile === "function") {
    const compiled = compile(zodOrder);
    if (!compiled.safeParse(valid).success) throw new Error("z.compile disagrees on the valid order");
    contestants.zodCompiledValid = () => compiled.safeParse(valid);
  }
  const m = interleaved(contestants, 7, 80);
  const ops = (name: string) => m.get(name)!;
  r.figure("generated validateT, valid order", ops("genValid"), "ops/s");
  r.figure("generated validateT, invalid order", ops("genInvalid"), "ops/s");
  r.figure("zod 4 safeParse, valid order", ops("zodValid"), "ops/s");
  r.figure("zod 4 safeParse, invalid order", ops("zodInvalid"), "ops/s");
  r.figure("valibot safeParse, valid order", ops("valibotValid"), "ops/s");
  r.figure("valibot safeParse, invalid order", ops("valibotInvalid"), "ops/s");
  r.figure("TypeBox compiled Check, valid order", ops("typeboxValid"), "ops/s");
  r.figure("TypeBox compiled Check + Errors(), invalid order", ops("typeboxInvalid"), "ops/s");
  const speedUp = (name: string, of: string, than: string, description: string) =>
    r.ratio(name, ops(of) / ops(than), description);
  speedUp("generated / zod 4, valid", "genValid", "zodValid", "speed-up on the same valid order (goal > 1)");
  speedUp(
    "generated / zod 4, invalid",
    "genInvalid",
    "zodInvalid",
    "speed-up on the same invalid order (goal > 1)",
  );
  speedUp("generated / valibot, valid", "genValid", "valibotValid", "speed-up on the same valid order");
  speedUp(
    "generated / valibot, invalid",
    "genInvalid",
    "valibotInvalid",
    "speed-up on the same invalid order",
  );
  speedUp("generated / TypeBox compiled, valid", "genValid", "typeboxValid", "goal >= 1");
  speedUp(
    "generated / TypeBox compiled, invalid",
    "genInvalid",
    "typeboxInvalid",
    "speed-up on the same invalid order",
  );
  if (m.has("zodCompiledValid")) {
    r.figure("zod 4 z.compile safeParse, valid order", ops("zodCompiledValid"), "ops/s");
    speedUp(
      "generated / zod 4 compiled, valid",
      "genValid",
      "zodCompiledValid",
      "speed-up on the same valid order",
    );
  }

  const opts = { minMs: 500 };
  // On the receive path: the codec's decode, then the generated decoder (checks and builds bigints).
  const codec = new JsonCodec();
  const bytes = codec.encode(encodeBenchOrder(valid));
  const decoded = codec.decode(bytes);
  if (!decodeBenchOrder(decoded).ok) throw new Error("decodeBenchOrder refused the wire value");
  const codecDecode = measure(() => codec.decode(bytes), opts);
  const wireDecode = measure(() => decodeBenchOrder(decoded), opts);
  r.figure("JSON codec decode of the order", codecDecode, "ops/s");
  r.figure("generated decodeT of the decoded order", wireDecode, "ops/s");
  r.ratio("decodeT / codec decode", wireDecode / codecDecode, "how much cheaper the check is than parsing");
  keep(decoded);
  // On the send path: the generated encoder (serde's layout) before the codec's encode, against the
  // codec alone on the in-memory value (the order has no unions or renames, so this is encodeT's cost).
  const codecEncode = measure(() => codec.encode(valid), opts);
  const wireEncode = measure(() => codec.encode(encodeBenchOrder(valid)), opts);
  r.figure("JSON codec encode of the order", codecEncode, "ops/s");
  r.figure("generated encodeT + JSON codec encode of the order", wireEncode, "ops/s");
  r.ratio("encodeT + encode / encode alone", wireEncode / codecEncode, "what the generated encoder costs");

  // Generation: 50 services in one declaration file, read, emitted and formatted once.
  const dir = mkdtempSync(join(tmpdir(), "codegen-bench-"));
  try {
    const file = join(dir, "many.ts");
    writeFileSync(file, manyServices(50));
    const started = performance.now();
    const [generated] = generate([file], { cwd: dir });
    const ms = performance.now() - started;
    if (generated?.services.length !== 50) throw new Error("expected 50 generated services");
    r.figure("generate 50 services (read + emit + biome format)", ms, "ms");
    const emitOnly = performance.now();
    generate([file], { cwd: dir, format: "none" });
    const tsOnlyMs = performance.now() - emitOnly;
    r.figure("generate 50 services, unformatted (fresh ts-morph project)", tsOnlyMs, "ms");
    const allKinds = performance.now();
    const three = generate([file], { cwd: dir, format: "none", emit: ["ts", "json-schema", "rust"] });
    const allMs = performance.now() - allKinds;
    if (three.length !== 3) throw new Error("expected three outputs");
    r.figure("generate 50 services as ts + json-schema + rust, unformatted", allMs, "ms");
    r.ratio("ts + json-schema + rust / ts alone", allMs / tsOnlyMs, "cost of the extra outputs");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}) satisfies BenchSuite;
