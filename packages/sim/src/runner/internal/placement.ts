// Process placement (`SimulationBuilder.processes(count, factory, { locality, tags })`):
// validates the options once and turns them into per-index functions for the seed world.
import type { Locality } from "@moonpool/chaos";
import { InvalidArgumentError } from "@moonpool/core";
import type { ProcessOptions } from "../types.ts";

/** `"dc/zone/machine"` or a Locality object, checked; `argument` names it in errors. */
export function parseLocality(value: unknown, argument: string): Locality {
  if (typeof value === "string") {
    const parts = value.split("/");
    if (parts.length !== 3 || parts.some((p) => p === "")) {
      throw new InvalidArgumentError(argument, `expected "datacenter/zone/machine", got "${value}"`);
    }
    return { datacenter: parts[0]!, zone: parts[1]!, machine: parts[2]! };
  }
  if (value !== null && typeof value === "object") {
    const l = value as Partial<Locality>;
    for (const key of ["datacenter", "zone", "machine"] as const) {
      if (typeof l[key] !== "string" || l[key] === "" || l[key].includes("/")) {
        throw new InvalidArgumentError(`${argument}.${key}`, `expected a non-empty string without "/"`);
      }
    }
    return { datacenter: l.datacenter!, zone: l.zone!, machine: l.machine! };
  }
  throw new InvalidArgumentError(
    argument,
    `expected "datacenter/zone/machine" or a Locality, got ${String(value)}`,
  );
}

function parseTags(value: unknown, argument: string): Readonly<Record<string, string>> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidArgumentError(argument, `expected an object of string tags, got ${String(value)}`);
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string")
      throw new InvalidArgumentError(`${argument}.${k}`, `expected a string, got ${String(v)}`);
  }
  return { ...(value as Record<string, string>) };
}

/** The group's placement as per-index functions (results checked on every call). */
export function processPlacement(options: ProcessOptions): {
  locality?: (i: number) => Locality;
  tags?: (i: number) => Readonly<Record<string, string>>;
} {
  if (options === null || typeof options !== "object") {
    throw new InvalidArgumentError("processes(options)", "expected { locality?, tags? }");
  }
  for (const key of Object.keys(options)) {
    if (key !== "locality" && key !== "tags")
      throw new InvalidArgumentError(`processes(options.${key})`, "unknown option; known: locality, tags");
  }
  const out: { locality?: (i: number) => Locality; tags?: (i: number) => Readonly<Record<string, string>> } =
    {};
  const { locality, tags } = options;
  if (typeof locality === "function") {
    out.locality = (i) => parseLocality(locality(i), `processes(options.locality(${i}))`);
  } else if (locality !== undefined) {
    const fixed = parseLocality(locality, "processes(options.locality)");
    out.locality = () => fixed;
  }
  if (typeof tags === "function") {
    out.tags = (i) => parseTags(tags(i), `processes(options.tags(${i}))`);
  } else if (tags !== undefined) {
    const fixed = parseTags(tags, "processes(options.tags)");
    out.tags = () => fixed;
  }
  return out;
}
