import { describe, expect, it } from "vitest";
import { UID, WellKnownToken } from "../src/index.ts";

describe("UID", () => {
  it("adjusts like moonpool (reference vectors)", () => {
    const a = new UID(0x1000n, 0x2000n).adjusted(1);
    expect([a.first, a.second]).toEqual([0x1_0000_1000n, 0x2001n]);
    const wk = UID.wellKnown(4);
    expect([wk.adjusted(1).first, wk.adjusted(1).second]).toEqual([0x0000_0000_ffff_ffffn, 5n]);
    expect([wk.adjusted(2).first, wk.adjusted(2).second]).toEqual([0x1_ffff_ffffn, 6n]);
    expect(wk.adjusted(1).isWellKnown()).toBe(false);
    expect(wk.adjusted(0)).toBe(wk);
  });

  it("wraps the low 32 bits of second without carrying", () => {
    const a = new UID(0n, 0x5_ffff_ffffn).adjusted(1);
    expect(a.second).toBe(0x5_0000_0000n);
  });

  it("round-trips bytes and hex", () => {
    const u = new UID(0xffff_ffff_ffff_ffffn, 1n);
    expect(UID.fromBytes(u.toBytes()).equals(u)).toBe(true);
    expect(UID.parse(u.toString()).equals(u)).toBe(true);
    expect(u.toString()).toBe("ffffffffffffffff0000000000000001");
  });

  it("knows well-known tokens and validity", () => {
    expect(UID.wellKnown(WellKnownToken.Ping).isWellKnown()).toBe(true);
    expect(UID.NONE.isValid()).toBe(false);
    expect(() => UID.wellKnown(64)).toThrow(RangeError);
    expect(() => new UID(-1n, 0n)).toThrow(RangeError);
    expect(() => new UID(1n << 64n, 0n)).toThrow(RangeError);
  });

  it("orders by first then second", () => {
    expect(new UID(1n, 9n).compare(new UID(2n, 0n))).toBe(-1);
    expect(new UID(2n, 1n).compare(new UID(2n, 0n))).toBe(1);
    expect(new UID(2n, 1n).compare(new UID(2n, 1n))).toBe(0);
  });
});
