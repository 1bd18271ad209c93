import { UID } from "@moonpool/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  crc32c,
  crc32cImplementation,
  crc32cJs,
  decodeFrame,
  decodeFrameStrict,
  encodeFrame,
  FrameDecoder,
  HEADER_SIZE,
  MAX_PAYLOAD_SIZE,
  PING_TOKEN,
  PONG_TOKEN,
  WireError,
} from "../src/index.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));
const utf8 = (s: string) => new TextEncoder().encode(s);
const MAX = (1n << 64n) - 1n;

function wireError(fn: () => unknown): WireError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WireError);
    return error as WireError;
  }
  throw new Error("expected a WireError");
}

describe("crc32c", () => {
  it("matches the standard check value with both implementations", () => {
    expect(crc32c(utf8("123456789"))).toBe(0xe3069283);
    expect(crc32cJs(utf8("123456789"))).toBe(0xe3069283);
    expect(["native", "js"]).toContain(crc32cImplementation);
  });

  it("native and JS agree, also when chained", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (data, cut) => {
        const at = Math.min(cut, data.length);
        expect(crc32c(data)).toBe(crc32cJs(data));
        expect(crc32cJs(data.subarray(at), crc32cJs(data.subarray(0, at)))).toBe(crc32c(data));
      }),
    );
  });
});

describe("frame vectors (reference section 1.1)", () => {
  it("UID(1,2) + hello", () => {
    const frame = encodeFrame(new UID(1n, 2n), utf8("hello"));
    expect(hex(frame)).toBe("1d000000cfa0f77d0100000000000000020000000000000068656c6c6f");
    const decoded = decodeFrame(frame)!;
    expect(decoded.token.equals(new UID(1n, 2n))).toBe(true);
    expect(new TextDecoder().decode(decoded.payload)).toBe("hello");
    expect(decoded.consumed).toBe(29);
  });

  it("PING", () => {
    expect(PING_TOKEN.equals(new UID(MAX, 1n))).toBe(true);
    expect(hex(encodeFrame(PING_TOKEN, new Uint8Array(0)))).toBe(
      "180000007ac85c62ffffffffffffffff0100000000000000",
    );
  });

  it("PONG", () => {
    expect(PONG_TOKEN.equals(new UID(MAX - 1n, 0n))).toBe(true);
    expect(hex(encodeFrame(PONG_TOKEN, new Uint8Array(0)))).toBe(
      "18000000a3b86cd9feffffffffffffff0000000000000000",
    );
  });

  it("decodes the reference bytes", () => {
    const f = decodeFrame(unhex("18000000 a3b86cd9 feffffffffffffff 0000000000000000"))!;
    expect(f.token.equals(PONG_TOKEN)).toBe(true);
    expect(f.payload.length).toBe(0);
  });
});

describe("encodeFrame / decodeFrame", () => {
  it("round-trips random tokens and payloads", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX }),
        fc.bigInt({ min: 0n, max: MAX }),
        fc.uint8Array({ maxLength: 2000 }),
        (a, b, payload) => {
          const token = new UID(a, b);
          const frame = encodeFrame(token, payload);
          expect(frame.length).toBe(HEADER_SIZE + payload.length);
          const d = decodeFrame(frame)!;
          expect(d.token.equals(token)).toBe(true);
          expect(hex(d.payload)).toBe(hex(payload));
        },
      ),
    );
  });

  it("returns null on every strict prefix and leaves trailing bytes", () => {
    const frame = encodeFrame(new UID(7n, 8n), utf8("abcdef"));
    for (let n = 0; n < frame.length; n++) expect(decodeFrame(frame.subarray(0, n))).toBeNull();
    const extra = new Uint8Array([...frame, 1, 2, 3]);
    expect(decodeFrame(extra)!.consumed).toBe(frame.length);
  });

  it("strict decoding reports INSUFFICIENT_DATA with needed/have", () => {
    const frame = encodeFrame(new UID(7n, 8n), utf8("abcdef"));
    const e = wireError(() => decodeFrameStrict(frame.subarray(0, 26)));
    expect(e.code).toBe("INSUFFICIENT_DATA");
    expect(e.details).toEqual({ needed: 30, have: 26 });
    expect(wireError(() => decodeFrameStrict(frame.subarray(0, 3))).details).toEqual({ needed: 24, have: 3 });
  });

  it("detects payload and token corruption (CHECKSUM_MISMATCH)", () => {
    const frame = encodeFrame(new UID(1n, 2n), utf8("hello"));
    for (const at of [8, 15, 23, 24, 28]) {
      const bad = frame.slice();
      bad[at]! ^= 0x01;
      expect(wireError(() => decodeFrame(bad)).code).toBe("CHECKSUM_MISMATCH");
    }
  });

  it("rejects a length below the header (INVALID_LENGTH)", () => {
    const bad = encodeFrame(new UID(1n, 2n), new Uint8Array(0));
    new DataView(bad.buffer).setUint32(0, 23, true);
    const e = wireError(() => decodeFrame(bad));
    expect(e.code).toBe("INVALID_LENGTH");
    expect(e.details.length).toBe(23);
  });

  it("enforces the payload cap on send and receive (before the bytes arrive)", () => {
    expect(encodeFrame(new UID(1n, 1n), new Uint8Array(MAX_PAYLOAD_SIZE)).length).toBe(MAX_PAYLOAD_SIZE + 24);
    expect(wireError(() => encodeFrame(new UID(1n, 1n), new Uint8Array(MAX_PAYLOAD_SIZE + 1))).code).toBe(
      "PAYLOAD_TOO_LARGE",
    );
    expect(wireError(() => encodeFrame(new UID(1n, 1n), new Uint8Array(11), 10)).details).toEqual({
      size: 11,
      max: 10,
    });
    // A header announcing 4 GiB: rejected from the header alone instead of waiting forever.
    const header = new Uint8Array(24);
    new DataView(header.buffer).setUint32(0, 0xffffffff, true);
    expect(wireError(() => decodeFrame(header)).code).toBe("PAYLOAD_TOO_LARGE");
    const small = encodeFrame(new UID(1n, 1n), new Uint8Array(100));
    expect(wireError(() => decodeFrame(small, 99)).code).toBe("PAYLOAD_TOO_LARGE");
    expect(decodeFrame(small, 100)).not.toBeNull();
  });

  it("names bad arguments", () => {
    expect(() => encodeFrame({} as UID, new Uint8Array(0))).toThrow(/token/);
    expect(() => encodeFrame(new UID(1n, 1n), [1, 2] as unknown as Uint8Array)).toThrow(/payload/);
    expect(() => decodeFrame(new Uint8Array(0), -1)).toThrow(/maxPayload/);
  });
});

describe("FrameDecoder", () => {
  it("reassembles frames from arbitrary chunkings", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
        (payloads, cuts) => {
          const frames = payloads.map((p, i) => encodeFrame(new UID(BigInt(i), 1n), p));
          const stream = new Uint8Array(Buffer.concat(frames));
          const decoder = new FrameDecoder();
          const got: Uint8Array[] = [];
          let at = 0;
          let c = 0;
          while (at < stream.length) {
            const n = cuts[c++ % cuts.length]!;
            for (const f of decoder.push(stream.subarray(at, at + n))) got.push(f.payload);
            at += n;
          }
          expect(got.map(hex)).toEqual(payloads.map(hex));
          expect(decoder.buffered).toBe(0);
        },
      ),
    );
  });

  it("returns frames before a bad one, then throws", () => {
    const good = encodeFrame(new UID(1n, 1n), utf8("ok"));
    const bad = encodeFrame(new UID(2n, 2n), utf8("no"));
    bad[25]! ^= 0xff;
    const decoder = new FrameDecoder();
    decoder.append(new Uint8Array([...good, ...bad]));
    expect(new TextDecoder().decode(decoder.next()!.payload)).toBe("ok");
    expect(wireError(() => decoder.next()).code).toBe("CHECKSUM_MISMATCH");
    decoder.reset();
    expect(decoder.buffered).toBe(0);
  });
});

describe("fuzzing: untrusted bytes only ever give frames, null or a WireError", () => {
  const check = (bytes: Uint8Array, maxPayload?: number) => {
    try {
      const f = decodeFrame(bytes, maxPayload);
      if (f) {
        expect(f.consumed).toBeGreaterThanOrEqual(HEADER_SIZE);
        expect(f.consumed).toBeLessThanOrEqual(bytes.length);
      }
    } catch (error) {
      expect(error).toBeInstanceOf(WireError);
      expect(["CHECKSUM_MISMATCH", "INVALID_LENGTH", "PAYLOAD_TOO_LARGE"]).toContain(
        (error as WireError).code,
      );
    }
  };

  it("random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.option(fc.nat(100)), (b, cap) =>
        check(b, cap ?? undefined),
      ),
      {
        numRuns: 2000,
      },
    );
  });

  it("mutated valid frames", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 5 }),
        fc.nat(130),
        (payload, flips, truncate) => {
          const frame = encodeFrame(new UID(3n, 4n), payload);
          for (const [at, v] of flips) frame[at % frame.length] = v;
          check(frame.subarray(0, Math.min(truncate, frame.length)));
          check(frame);
          // and through the streaming decoder, in two chunks
          const decoder = new FrameDecoder(200);
          try {
            decoder.push(frame.subarray(0, 10));
            decoder.push(frame.subarray(10));
          } catch (error) {
            expect(error).toBeInstanceOf(WireError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("a single bit flip in token or payload is always detected", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.nat(),
        fc.nat(7),
        (payload, pos, bit) => {
          const frame = encodeFrame(new UID(9n, 9n), payload);
          const at = 8 + (pos % (frame.length - 8));
          frame[at]! ^= 1 << bit;
          expect(wireError(() => decodeFrame(frame)).code).toBe("CHECKSUM_MISMATCH");
        },
      ),
    );
  });
});
