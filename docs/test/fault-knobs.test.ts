// Every fault knob of @moonpool/chaos, with its default, is documented in the chaos README's
// configuration tables (the book's fault-knob reference): a knob added to a default config and
// not to the tables fails here, so the reference cannot fall behind the code.
import { readFileSync } from "node:fs";
import {
  defaultAttrition,
  defaultBuggify,
  defaultCorrelatedBursts,
  defaultNetworkChaos,
  defaultStorageChaos,
} from "@moonpool/chaos";
import { describe, expect, it } from "vitest";

const README = readFileSync(new URL("../../packages/chaos/README.md", import.meta.url), "utf8");
/** Table rows of the README's "Configurations" section and below. */
const ROWS = README.slice(README.indexOf("## Configurations"))
  .split("\n")
  .filter((line) => line.startsWith("|"));

/** True for a value that is one knob's shape (a range or a distribution), not a group of knobs. */
function isShape(value: object): boolean {
  const keys = Object.keys(value);
  return (
    keys.includes("kind") ||
    (keys.includes("minMs") && keys.includes("maxMs")) ||
    (keys.includes("min") && keys.includes("max"))
  );
}

/** Knob paths of a config object: `clog.duration` for `{ clog: { duration: { minMs, maxMs } } }`. */
export function knobPaths(config: object, prefix = ""): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !isShape(value)) {
      out.push(...knobPaths(value, path));
    } else out.push(path);
  }
  return out;
}

/** A row names `a.b.c` as `` `a.b.c` ``, or as a row about `` `a.b.x` `` that also lists `c`. */
export function documented(path: string, rows: readonly string[]): boolean {
  const cut = path.lastIndexOf(".");
  const parent = cut < 0 ? "" : path.slice(0, cut);
  const leaf = path.slice(cut + 1);
  const word = new RegExp(`\\b${leaf}\\b`);
  return rows.some(
    (row) =>
      row.includes(`\`${path}\``) ||
      (parent !== "" && (row.includes(`\`${parent}.`) || row.includes(`\`${parent}\``)) && word.test(row)),
  );
}

describe("the fault-knob reference", () => {
  const families = {
    network: defaultNetworkChaos(),
    storage: defaultStorageChaos(),
    attrition: defaultAttrition(),
    buggify: defaultBuggify(),
    bursts: defaultCorrelatedBursts(),
  };
  for (const [family, config] of Object.entries(families)) {
    it(`documents every ${family} knob in packages/chaos/README.md`, () => {
      const paths = knobPaths(config);
      expect(paths.length).toBeGreaterThan(0);
      expect(paths.filter((p) => !documented(p, ROWS))).toEqual([]);
    });
  }

  it("notices an undocumented knob", () => {
    expect(documented("clog.writeProbability", ROWS)).toBe(true);
    expect(documented("clog.neverDocumentedProbability", ROWS)).toBe(false);
    expect(knobPaths({ a: { minMs: 1, maxMs: 2 }, b: { c: 1, maxMs: 3 } })).toEqual(["a", "b.c", "b.maxMs"]);
  });
});
