import { describe, expect, it } from "vitest";
import { Endpoint, NetworkAddress, UID, WellKnownToken } from "../src/index.ts";

describe("Endpoint", () => {
  const address = NetworkAddress.parse("10.0.1.1:4500");
  const token = new UID(0x1000n, 0x2000n);

  it("pairs an address with a token", () => {
    const e = new Endpoint(address, token);
    expect(e.address).toBe(address);
    expect(e.token).toBe(token);
    expect(e.toString()).toBe(`10.0.1.1:4500#${token.toString()}`);
  });

  it("adjusts the token for method i, keeping the address", () => {
    const e = new Endpoint(address, token);
    const m1 = e.adjusted(1);
    expect(m1.address.equals(address)).toBe(true);
    expect([m1.token.first, m1.token.second]).toEqual([0x1_0000_1000n, 0x2001n]);
    expect(e.adjusted(0).equals(e)).toBe(true);
    expect(m1.equals(e)).toBe(false);
  });

  it("compares by address and token", () => {
    const a = Endpoint.parse("10.0.1.1:4500", token);
    expect(a.equals(new Endpoint(NetworkAddress.parse("10.0.1.1:4500"), new UID(0x1000n, 0x2000n)))).toBe(
      true,
    );
    expect(a.equals(Endpoint.parse("10.0.1.2:4500", token))).toBe(false);
    expect(a.equals(Endpoint.parse("10.0.1.1:4501", token))).toBe(false);
    expect(a.equals(Endpoint.parse("10.0.1.1:4500", UID.wellKnown(WellKnownToken.Ping)))).toBe(false);
  });

  it("serialises in moonpool's serde layout with exact 64-bit halves", () => {
    const e = Endpoint.parse("[::1]:80", new UID(0xffff_ffff_ffff_ffffn, 3n));
    expect(e.toJSON()).toEqual({
      address: { ip: "::1", port: 80, flags: 0 },
      token: { first: 0xffff_ffff_ffff_ffffn, second: 3n },
    });
  });

  it("rejects a bad address", () => {
    expect(() => Endpoint.parse("10.0.1.1", token)).toThrow(/invalid address/);
  });
});
