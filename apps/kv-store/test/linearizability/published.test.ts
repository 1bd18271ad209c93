import { describe, expect, it } from "vitest";
import {
  casRegisterModel,
  checkLinearizable,
  operationsFromEvents,
} from "../../src/linearizability/index.ts";
import { jepsenEtcdLog, knossosEdn, knossosFixture } from "./support/published-histories.ts";

const model = casRegisterModel<number>();
const check = (events: ReturnType<typeof knossosEdn>) =>
  checkLinearizable(model, operationsFromEvents(events));

describe("Knossos's cas-register histories", () => {
  it("immediate-failure: a read returns a value whose write failed (bad)", () => {
    const h = knossosEdn(`[{:type :invoke, :process 1, :f :read, :value nil}
      {:type :invoke, :process 101, :f :write, :value 3}
      {:type :fail, :process 101, :f :write, :value 3}
      {:type :ok, :process 1, :f :read, :value 3}]`);
    expect(check(h).verdict).toBe("illegal");
  });

  it("rethink-fail-minimal: a concurrent read of 3 when only 0 or 4 are possible (bad), blamed on the read", () => {
    const h = knossosEdn(`({:type :invoke, :f :write, :value 0, :process 0}
      {:type :ok, :f :write, :value 0, :process 0}
      {:type :invoke, :f :read, :value nil, :process 1}
      {:type :invoke, :f :write, :value 4, :process 2}
      {:type :ok, :f :read, :value 3, :process 1}
      {:type :ok, :f :write, :value 4, :process 2}
      {:type :invoke, :f :read, :value nil, :process 3}
      {:type :ok, :f :read, :value 4, :process 3})`);
    const result = check(h);
    expect(result.verdict).toBe("illegal");
    expect(result.failure?.stuck.input).toEqual({ op: "read" });
    expect(result.failure?.stuck.output).toBe(3);
  });

  const prefix = `[{:process 4, :type :invoke, :f :write, :value 2}
    {:process 4, :type :ok, :f :write, :value 2}
    {:process 6, :type :invoke, :f :read, :value nil}
    {:process 1, :type :invoke, :f :write, :value 4}
    {:process 1, :type :ok, :f :write, :value 4}
    {:process 14, :type :invoke, :f :read, :value 4}
    {:process 14, :type :ok, :f :read, :value 4}
    {:process 9, :type :invoke, :f :write, :value 0}
    {:process 9, :type :ok, :f :write, :value 0}
    {:process 19, :type :invoke, :f :read, :value 0}`;

  it("cas-register-bug: a pending crashed read does not make the history illegal (good)", () => {
    expect(check(knossosEdn(`${prefix} {:process 19, :type :ok, :f :read, :value 0}]`)).verdict).toBe("ok");
  });

  it("bad-analysis: two concurrent reads of 3 and 2 after the value was 0 (bad)", () => {
    const h = knossosEdn(`${prefix}
      {:process 20, :type :invoke, :f :write, :value 1}
      {:process 19, :type :ok, :f :read, :value 0}
      {:process 22  :type :invoke, :f :read, :value 3}
      {:process 21, :type :invoke, :f :read, :value 2}
      {:process 21, :type :ok, :f :read, :value 2}
      {:process 22, :type :ok, :f :read, :value 3}]`);
    expect(check(h).verdict).toBe("illegal");
  });

  it("mongodb-v0-ack-rollback-11: failed reads and writes only (good)", () => {
    const h = knossosEdn(`[{:process 12, :type :invoke, :f :read, :value nil}
      {:process 12, :type :fail, :f :read, :value nil}
      {:process 19, :type :invoke, :f :write, :value 1}
      {:process 14, :type :invoke, :f :read, :value nil}
      {:process 14, :type :fail, :f :read, :value nil}
      {:process 19, :type :fail, :f :write, :value 1}]`);
    expect(check(h).verdict).toBe("ok");
  });

  it("memstress3-33: a 5-client cas-register stress history (good)", () => {
    const h = knossosFixture("memstress3-33.edn");
    expect(h.length).toBeGreaterThan(50);
    expect(check(h).verdict).toBe("ok");
  });
});

describe("Jepsen etcd histories, with the verdicts Porcupine's suite asserts", () => {
  for (const [log, expected] of [
    ["etcd_000.log", "illegal"],
    ["etcd_002.log", "ok"],
    ["etcd_003.log", "illegal"],
    ["etcd_005.log", "ok"],
    ["etcd_006.log", "illegal"],
    ["etcd_007.log", "ok"],
  ] as const) {
    it(`${log} is ${expected}`, () => {
      const result = check(jepsenEtcdLog(log));
      expect(result.verdict).toBe(expected);
      if (expected === "illegal") expect(result.failure?.explanation).toMatch(/not linearizable/);
    });
  }
});
