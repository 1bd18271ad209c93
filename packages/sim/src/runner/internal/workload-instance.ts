// A workload given as an instance is shared by every seed of a run, so its own fields are put
// back before every seed to what they were when the builder received it: a seed never sees what
// an earlier seed left there. Only fields that can be restored faithfully are accepted (values
// structuredClone copies exactly, and functions kept by reference); anything else, including a
// class instance whose private fields cannot be seen, is refused with the factory form to use.
import { InvalidArgumentError } from "@moonpool/core";
import type { Workload } from "../types.ts";

const ARGUMENT = "workload(w)";

function refuse(name: string, why: string): never {
  throw new InvalidArgumentError(
    ARGUMENT,
    `workload "${name}" ${why}, so it cannot be restored before every seed; pass a factory ` +
      `instead: .workload(() => ({ name: "${name}", ... })) gives each seed a fresh instance`,
  );
}

/** Why `value` (at `path`) would not survive structuredClone exactly, or null when it would. */
function unfaithful(value: unknown, path: string, seen: Set<object>): string | null {
  if (value === null || typeof value !== "object") {
    return typeof value === "function" ? `holds a function at ${path} inside an object` : null;
  }
  if (seen.has(value)) return null;
  seen.add(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return null;
  if (value instanceof Date || value instanceof RegExp) return null;
  if (value instanceof Map) {
    for (const [k, v] of value) {
      const why = unfaithful(k, `${path} (a Map key)`, seen) ?? unfaithful(v, `${path}.get(…)`, seen);
      if (why !== null) return why;
    }
    return null;
  }
  if (value instanceof Set) {
    for (const v of value) {
      const why = unfaithful(v, `${path} (a Set member)`, seen);
      if (why !== null) return why;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) {
    return `holds ${describe(value)} at ${path}`;
  }
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === "symbol") return `holds a symbol-keyed property at ${path}`;
    const d = Object.getOwnPropertyDescriptor(value, key) as PropertyDescriptor;
    if (d.get !== undefined || d.set !== undefined) return `holds an accessor at ${path}.${key}`;
    if (Array.isArray(value) && key === "length") continue;
    const why = unfaithful(d.value, `${path}.${key}`, seen);
    if (why !== null) return why;
  }
  return null;
}

function describe(value: object): string {
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" ? `a ${name} instance` : "an object with a custom prototype";
}

/**
 * Checks `workload` and returns the function that restores its own fields (called before every
 * seed). Throws an InvalidArgumentError naming the factory form when a field cannot be restored.
 */
export function workloadRestorer(workload: Workload): () => void {
  const name = workload.name;
  const proto = Object.getPrototypeOf(workload);
  if (proto !== Object.prototype && proto !== null) {
    refuse(name, `is ${describe(workload)} (its private fields and prototype state cannot be seen)`);
  }
  const keys = Reflect.ownKeys(workload);
  const descriptors = new Map<PropertyKey, PropertyDescriptor>();
  const cloned: PropertyKey[] = [];
  for (const key of keys) {
    const d = Object.getOwnPropertyDescriptor(workload, key) as PropertyDescriptor;
    descriptors.set(key, d);
    if (!("value" in d) || d.value === null || typeof d.value !== "object") continue;
    if (!d.configurable) refuse(name, `has a non-configurable object field ${String(key)}`);
    const why = unfaithful(d.value, String(key), new Set());
    if (why !== null) refuse(name, why);
    cloned.push(key);
  }
  // One clone of every object field together keeps references shared between fields shared.
  const snapshot = structuredClone(cloned.map((k) => (descriptors.get(k) as PropertyDescriptor).value));
  const target = workload as unknown as Record<PropertyKey, unknown>;
  return () => {
    for (const key of Reflect.ownKeys(workload)) if (!descriptors.has(key)) delete target[key];
    const fresh = cloned.length > 0 ? (structuredClone(snapshot) as unknown[]) : [];
    for (const [key, d] of descriptors) {
      const i = cloned.indexOf(key);
      if (!d.configurable) {
        // non-configurable fields hold primitives or functions (objects are refused above)
        if (d.writable) target[key] = d.value;
        continue;
      }
      Object.defineProperty(workload, key, i < 0 ? d : { ...d, value: fresh[i] });
    }
  };
}
