import { describe, expect, it } from "vitest";
import { InvalidArgumentError, NetworkAddress, splitHostPort } from "../src/index.ts";

function argumentOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as InvalidArgumentError).argument;
  }
  return expect.unreachable("expected an InvalidArgumentError");
}

describe("NetworkAddress", () => {
  it("parses and formats IPv4", () => {
    const a = NetworkAddress.parse("10.0.1.1:4500");
    expect([a.ip, a.port, a.flags]).toEqual(["10.0.1.1", 4500, 0]);
    expect(a.isIPv6).toBe(false);
    expect(a.toString()).toBe("10.0.1.1:4500");
    expect(NetworkAddress.parse("0.0.0.0:0").port).toBe(0);
    expect(NetworkAddress.parse("255.255.255.255:65535").toString()).toBe("255.255.255.255:65535");
  });

  it("parses and formats IPv6 in brackets", () => {
    const a = NetworkAddress.parse("[::1]:80");
    expect([a.ip, a.port]).toEqual(["::1", 80]);
    expect(a.isIPv6).toBe(true);
    expect(a.toString()).toBe("[::1]:80");
    const full = NetworkAddress.parse("[2001:db8::ff00:42:8329]:4500");
    expect(full.ip).toBe("2001:db8::ff00:42:8329");
    expect(NetworkAddress.parse(full.toString()).equals(full)).toBe(true);
    expect(new NetworkAddress("fe80::1", 9).toString()).toBe("[fe80::1]:9");
  });

  it("round-trips through toString and keeps the serde JSON layout", () => {
    const a = new NetworkAddress("192.168.0.7", 1234, NetworkAddress.FLAG_TLS | NetworkAddress.FLAG_PUBLIC);
    expect(a.toJSON()).toEqual({ ip: "192.168.0.7", port: 1234, flags: 3 });
    expect(NetworkAddress.parse(a.toString()).equals(new NetworkAddress("192.168.0.7", 1234))).toBe(true);
    expect(a.equals(new NetworkAddress("192.168.0.7", 1234))).toBe(false); // flags differ
  });

  it("names the bad part of malformed input", () => {
    expect(argumentOf(() => NetworkAddress.parse("10.0.1.1"))).toBe("address");
    expect(argumentOf(() => NetworkAddress.parse(":80"))).toBe("address");
    expect(argumentOf(() => NetworkAddress.parse("::1:80"))).toBe("address"); // v6 needs brackets
    expect(argumentOf(() => NetworkAddress.parse("[::1]80"))).toBe("address");
    expect(argumentOf(() => NetworkAddress.parse("[::1"))).toBe("address");
    expect(argumentOf(() => NetworkAddress.parse("host.example:80"))).toBe("address"); // not an IP
    expect(argumentOf(() => NetworkAddress.parse("256.0.0.1:80"))).toBe("address");
    expect(argumentOf(() => NetworkAddress.parse("10.0.0.1:"))).toBe("port");
    expect(argumentOf(() => NetworkAddress.parse("10.0.0.1:http"))).toBe("port");
    expect(argumentOf(() => NetworkAddress.parse("10.0.0.1:-1"))).toBe("port");
    expect(argumentOf(() => NetworkAddress.parse("10.0.0.1:65536"))).toBe("port");
    expect(argumentOf(() => new NetworkAddress("10.0.0.1", 1.5))).toBe("port");
    expect(argumentOf(() => new NetworkAddress("10.0.0.1", 1, 0x1_0000))).toBe("address flags");
    expect(argumentOf(() => NetworkAddress.parse(42 as unknown as string))).toBe("address");
  });

  it("mentions the offending text in the message", () => {
    expect(() => NetworkAddress.parse("10.0.0.1:http")).toThrow(/"http"/);
    expect(() => NetworkAddress.parse("nope")).toThrow(/"nope"/);
  });
});

describe("splitHostPort", () => {
  it("keeps host names as written", () => {
    expect(splitHostPort("localhost:8080")).toEqual({ ip: "localhost", port: 8080 });
    expect(splitHostPort("[::]:0")).toEqual({ ip: "::", port: 0 });
  });
});
