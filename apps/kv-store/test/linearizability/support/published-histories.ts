import { readFileSync } from "node:fs";
import type { CasRegisterInput, HistoryEvent } from "../../../src/linearizability/index.ts";

/** A cas-register history event, as Knossos and Jepsen record them. */
export type CasEvent = HistoryEvent<CasRegisterInput<number>, number | null | boolean>;

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");

/** Gives each operation of a process its own id: Jepsen reuses a process id once its op completes. */
function opIds() {
  const current = new Map<string, string>();
  let counter = 0;
  return {
    open(process: string) {
      const id = `${process}#${counter++}`;
      current.set(process, id);
      return id;
    },
    close(process: string) {
      const id = current.get(process);
      if (id === undefined) throw new Error(`completion for process ${process} with no open operation`);
      current.delete(process);
      return id;
    },
  };
}

function callInput(f: string, value: string): CasRegisterInput<number> {
  if (f === "read") return { op: "read" };
  if (f === "write") return { op: "write", value: Number(value) };
  const [from, to] = value
    .replace(/[[\]]/g, "")
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  return { op: "cas", from: from!, to: to! };
}

/**
 * A Jepsen etcd log (`INFO  jepsen.util - 3\t:invoke\t:cas\t[1 2]`), read as Porcupine's test
 * suite reads it: a failed cas returned false, a timed-out read or an `:info` stays pending.
 */
export function jepsenEtcdLog(name: string): CasEvent[] {
  const ids = opIds();
  const events: CasEvent[] = [];
  for (const line of fixture(name).split("\n")) {
    const m = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(\w+)\s+:(\w+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, process, type, f, value] = m as unknown as [string, string, string, string, string];
    if (type === "invoke")
      events.push({
        kind: "call",
        id: ids.open(process),
        client: Number(process),
        input: callInput(f, value),
      });
    else if (type === "info" || value === ":timed-out") events.push({ kind: "info", id: ids.close(process) });
    else if (f === "cas") events.push({ kind: "return", id: ids.close(process), output: type === "ok" });
    else if (f === "read")
      events.push({ kind: "return", id: ids.close(process), output: value === "nil" ? null : Number(value) });
    else events.push({ kind: "return", id: ids.close(process), output: null });
  }
  return events;
}

/**
 * A Knossos EDN history of maps `{:type :ok, :f :read, :value 3, :process 1}` (the subset its
 * cas-register data uses): `:fail` means the operation did not happen, `:info` that it may have.
 */
export function knossosEdn(text: string): CasEvent[] {
  const ids = opIds();
  const events: CasEvent[] = [];
  const body = text.replace(/;[^\n]*/g, "");
  for (const map of body.match(/\{[^}]*\}/g) ?? []) {
    const field = (key: string) => new RegExp(`:${key}\\s+(\\[[^\\]]*\\]|[^\\s,}]+)`).exec(map)?.[1];
    const type = field("type")!.slice(1);
    const f = field("f")!.slice(1);
    const process = field("process")!;
    const value = field("value") ?? "nil";
    if (type === "invoke")
      events.push({
        kind: "call",
        id: ids.open(process),
        client: Number(process),
        input: callInput(f, value),
      });
    else if (type === "fail") events.push({ kind: "fail", id: ids.close(process) });
    else if (type === "info") events.push({ kind: "info", id: ids.close(process) });
    else if (f === "cas") events.push({ kind: "return", id: ids.close(process), output: true });
    else if (f === "read")
      events.push({ kind: "return", id: ids.close(process), output: value === "nil" ? null : Number(value) });
    else events.push({ kind: "return", id: ids.close(process), output: null });
  }
  return events;
}

export const knossosFixture = (name: string) => knossosEdn(fixture(name));
