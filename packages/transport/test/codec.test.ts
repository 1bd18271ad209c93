import { Endpoint, NetworkAddress, UID } from "@moonpool/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BinaryCodec,
  CodecError,
  envelopeFromValue,
  envelopeValue,
  JsonCodec,
  type MessageCodec,
  ReplyError,
  replyFromValue,
  replyValue,
} from "../src/index.ts";

const MAX = (1n << 64n) - 1n;
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);

// Values of the shared value model (no undefined, no -0, finite numbers).
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    // Integral doubles above 2^53 read back as bigint in JSON (documented), so keep them out.
    fc
      .double({ noNaN: true, noDefaultInfinity: true })
      .filter((d) => !Object.is(d, -0) && !(Number.isInteger(d) && !Number.isSafeInteger(d))),
    fc.bigInt({ min: 1n << 53n, max: MAX }),
    fc.string(),
  ),
  node: fc.oneof(
    { depthSize: "small" },
    tie("leaf"),
    fc.array(tie("node"), { maxLength: 4 }),
    fc.dictionary(
      fc.string().filter((k) => k !== "__proto__"),
      tie("node"),
      { maxKeys: 4 },
    ),
  ),
})).node;

describe.each<[string, MessageCodec]>([
  ["json", new JsonCodec()],
  ["binary", new BinaryCodec()],
])("%s codec", (_name, codec) => {
  it("round-trips the value model", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(codec.decode(codec.encode(v))).toEqual(v);
      }),
    );
  });

  it("keeps 64-bit tokens exact", () => {
    const token = new UID(MAX, MAX - 1n);
    const decoded = codec.decode(codec.encode({ token })) as { token: { first: bigint; second: bigint } };
    expect(decoded.token.first).toBe(MAX);
    expect(decoded.token.second).toBe(MAX - 1n);
  });

  it("rejects malformed payloads with a CodecError, never anything else", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          codec.decode(b);
        } catch (error) {
          expect(error).toBeInstanceOf(CodecError);
          expect((error as CodecError).code).toBe("DECODE");
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("does not let __proto__ or constructor keys reach a prototype", () => {
    const evil =
      codec.name === "json"
        ? bytes('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"a":1}')
        : new BinaryCodec().encode(
            JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"a":1}'),
          );
    const decoded = codec.decode(evil) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.hasOwn(decoded, "__proto__")).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(decoded.a).toBe(1);
    const merged = Object.assign({}, decoded) as Record<string, unknown>;
    expect(merged.polluted).toBeUndefined();
  });

  it("encodes envelopes and replies that parse back", () => {
    const replyTo = new Endpoint(NetworkAddress.parse("10.0.0.2:4500"), new UID(MAX, 5n));
    const env = envelopeFromValue(codec.decode(codec.encode(envelopeValue({ x: 1 }, replyTo))))!;
    expect(env.request).toEqual({ x: 1 });
    expect(env.reply_to.equals(replyTo)).toBe(true);
    const ok = replyFromValue(codec.decode(codec.encode(replyValue({ ok: true, value: [1, 2] }))));
    expect(ok).toEqual({ ok: true, value: [1, 2] });
    const err = replyFromValue(
      codec.decode(codec.encode(replyValue({ ok: false, error: ReplyError.application("boom") }))),
    );
    expect(err.ok).toBe(false);
    expect(!err.ok && err.error.kind).toBe("Application");
    expect(!err.ok && err.error.detail).toBe("boom");
  });

  it("refuses values it cannot encode with an ENCODE CodecError", () => {
    expect(() => codec.encode({ n: Symbol("x") })).toThrow(CodecError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => codec.encode(cyclic)).toThrow(CodecError);
  });
});

describe("JSON layout compatible with moonpool's serde", () => {
  const json = new JsonCodec();

  it("writes a RequestEnvelope as serde does", () => {
    const replyTo = new Endpoint(NetworkAddress.parse("10.0.0.2:4500"), new UID(MAX, 1n));
    expect(text(json.encode(envelopeValue({ seq: 1 }, replyTo)))).toBe(
      '{"request":{"seq":1},"reply_to":{"address":{"ip":"10.0.0.2","port":4500,"flags":0},"token":{"first":18446744073709551615,"second":1}}}',
    );
  });

  it("reads a Rust envelope with u64 tokens exactly", () => {
    const rust =
      '{"request":null,"reply_to":{"address":{"ip":"127.0.0.1","port":4501,"flags":0},"token":{"first":12345678901234567890,"second":42}}}';
    const env = envelopeFromValue(json.decode(bytes(rust)))!;
    expect(env.reply_to.token.first).toBe(12345678901234567890n);
    expect(env.reply_to.token.second).toBe(42n);
    expect(env.reply_to.address.toString()).toBe("127.0.0.1:4501");
  });

  it("writes Result<T, ReplyError> as serde does", () => {
    expect(text(json.encode(replyValue({ ok: true, value: undefined })))).toBe('{"Ok":null}');
    expect(text(json.encode(replyValue({ ok: false, error: new ReplyError("BrokenPromise") })))).toBe(
      '{"Err":"BrokenPromise"}',
    );
    expect(text(json.encode(replyValue({ ok: false, error: ReplyError.application("x") })))).toBe(
      '{"Err":{"Application":{"message":"x"}}}',
    );
    expect(text(json.encode(replyValue({ ok: false, error: new ReplyError("Serialization", "y") })))).toBe(
      '{"Err":{"Serialization":{"message":"y"}}}',
    );
    for (const kind of ["MaybeDelivered", "Timeout", "ConnectionFailed", "EndpointNotFound"] as const) {
      const r = replyFromValue(json.decode(bytes(`{"Err":"${kind}"}`)));
      expect(!r.ok && r.error.kind).toBe(kind);
    }
  });

  it("writes Vec<u8> as an array of numbers", () => {
    expect(text(json.encode({ block: new Uint8Array([1, 2, 255]) }))).toBe('{"block":[1,2,255]}');
  });

  it("rejects malformed replies and envelopes without throwing", () => {
    expect(replyFromValue({ Ok: 1, Err: 2 }).ok).toBe(false);
    expect(replyFromValue({ Err: "Nope" }).ok).toBe(false);
    expect(replyFromValue("Ok").ok).toBe(false);
    expect(envelopeFromValue({ request: 1 })).toBeNull();
    expect(
      envelopeFromValue({
        request: 1,
        reply_to: { address: { ip: "x", port: 1 }, token: { first: 1, second: 1 } },
      }),
    ).toBeNull();
    expect(
      envelopeFromValue({
        request: 1,
        reply_to: { address: { ip: "1.2.3.4", port: 1, flags: 0 }, token: { first: -1, second: 1 } },
      }),
    ).toBeNull();
  });

  it.each([
    '{"\\u005f_proto__":{"polluted":1},"a":1}',
    '{"a":1,"n":{"\\u005F\\u005Fproto__":{"polluted":1}}}',
    '{"\\u005f\\u005f\\u0070roto\\u005f\\u005f":{"polluted":1},"a":1,"n":{}}',
  ])("drops a __proto__ key spelled with escapes: %s", (input) => {
    const decoded = json.decode(bytes(input)) as Record<string, Record<string, unknown>>;
    expect(Object.hasOwn(decoded, "__proto__")).toBe(false);
    if (decoded.n) expect(Object.hasOwn(decoded.n, "__proto__")).toBe(false);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect((Object.assign({}, decoded) as Record<string, unknown>).polluted).toBeUndefined();
    expect(decoded.a).toBe(1);
  });

  it("rejects invalid UTF-8 and non-finite numbers", () => {
    expect(() => json.decode(new Uint8Array([0xff, 0xfe]))).toThrow(CodecError);
    expect(() => json.encode({ x: Number.NaN })).toThrow(CodecError);
  });
});

describe("binary codec specifics", () => {
  const bin = new BinaryCodec();
  it("keeps Uint8Array, undefined, negative and huge bigints", () => {
    const v = { b: new Uint8Array([0, 1, 2]), u: undefined, n: -(1n << 70n), a: [undefined] };
    const d = bin.decode(bin.encode(v)) as typeof v;
    expect(d.b).toEqual(new Uint8Array([0, 1, 2]));
    expect("u" in d).toBe(false);
    expect(d.n).toBe(-(1n << 70n));
    expect(d.a).toEqual([undefined]);
  });

  it("keeps integers up to 2^53 exact, on both sides of the varint range", () => {
    const edges = [2 ** 52 - 1, 2 ** 52, -(2 ** 52), 2 ** 53 - 1, -(2 ** 53 - 1), 4503599627370496];
    expect(bin.decode(bin.encode(edges))).toEqual(edges);
    expect(bin.decode(bin.encode({ "": { "": 4503599627370496 } }))).toEqual({
      "": { "": 4503599627370496 },
    });
  });

  it("rejects trailing bytes and absurd counts", () => {
    expect(() => bin.decode(new Uint8Array([0, 0]))).toThrow(/trailing/);
    expect(() => bin.decode(new Uint8Array([8, 0xff, 0xff, 0x7f]))).toThrow(CodecError);
  });

  it("is smaller than JSON for token-heavy messages", () => {
    const v = { reply_to: { token: new UID(MAX, MAX) }, data: new Uint8Array(64) };
    expect(bin.encode(v).length).toBeLessThan(new JsonCodec().encode(v).length);
  });
});

describe("JSON codec fast path agrees with the lossless path on tricky inputs", () => {
  const json = new JsonCodec();
  it.each([
    ['{"a":"\\u0000n123"}', { a: "\u0000n123" }],
    ['{"\\u0000n5":1,"b":18446744073709551615}', { "\u0000n5": 1, b: 18446744073709551615n }],
    [
      '{"s":"12345678901234567890","n":12345678901234567890}',
      { s: "12345678901234567890", n: 12345678901234567890n },
    ],
    [
      "[1.2345678901234567890,-12345678901234567890,1e300,9007199254740991]",
      [1.2345678901234567, -12345678901234567890n, 1e300, 9007199254740991],
    ],
    ['{"k":"a\\"b 12345678901234567890"}', { k: 'a"b 12345678901234567890' }],
  ])("%s", (input, expected) => {
    expect(json.decode(bytes(input))).toEqual(expected);
  });

  it("encodes strings that look like markers and keys exactly", () => {
    const v = { "\u0000n5": "\u0000n7", big: 1n << 63n };
    expect(json.decode(json.encode(v))).toEqual(v);
    expect(text(json.encode({ x: 1n << 63n }))).toBe('{"x":9223372036854775808}');
  });

  it("keeps a string whose escaped quote is followed by a NUL, an n and digits (it used to break)", () => {
    const v = { s: 'a"\u0000n12', big: 1n << 63n, list: ['"\u0000n-5', 1n << 60n] };
    expect(json.decode(json.encode(v))).toEqual(v);
    // A value the fast writer leaves to the native path with markers (a boxed number).
    const boxed = { s: 'a"\u0000n12', n: new Number(1), big: 1n << 63n };
    expect(json.decode(json.encode(boxed))).toEqual({ s: 'a"\u0000n12', n: 1, big: 1n << 63n });
  });

  it("never turns an escaped string into a bigint", () => {
    expect(json.decode(bytes('{"s":"\\u0000\\u006e5"}'))).toEqual({ s: "\u0000n5" });
    expect(json.decode(bytes('["\\u0000n5"]'))).toEqual(["\u0000n5"]);
  });

  it("writes what native JSON writes for toJSON, Uint8Array, Buffer, holes and undefined", () => {
    const date = new Date(0);
    const withKey = { toJSON: (key: string) => `key=${key}` };
    const holes = [1, 2, 3];
    delete holes[1]; // a hole
    const v = { date, withKey, list: [withKey], bytes: new Uint8Array([1, 2]), buf: Buffer.from([3]), holes };
    expect(text(json.encode({ ...v, gone: undefined, fn: undefined }))).toBe(
      '{"date":"1970-01-01T00:00:00.000Z","withKey":"key=withKey","list":["key=0"],"bytes":[1,2],' +
        '"buf":{"type":"Buffer","data":[3]},"holes":[1,null,3]}',
    );
    expect(() => json.encode({ f: () => 1 })).toThrow(/cannot encode a function/);
    expect(() => json.encode([Number.NaN])).toThrow(/cannot encode the number NaN/);
    expect(text(json.encode(new Number(5)))).toBe("5");
  });
});
