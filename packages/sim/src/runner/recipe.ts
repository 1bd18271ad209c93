// Timeline recipes in moonpool's text form `count@seed -> count@seed`: each entry reseeds the
// counted random stream once `count` draws were taken since the previous entry (or the start).
import { InvalidArgumentError } from "@moonpool/core";
import type { ReseedPoint } from "../engine/kernel.ts";

/**
 * Parses a recipe such as `"12@345 -> 0@7"`. Blank input is the empty recipe (the root
 * timeline). Throws an `InvalidArgumentError` naming `argument` and the bad entry for a missing
 * `@`, a non-number, a negative or an unsafe integer.
 *
 * @example
 * parseRecipe("3@99 -> 10@4") // [{ count: 3, seed: 99 }, { count: 10, seed: 4 }]
 */
export function parseRecipe(text: string, argument = "recipe"): ReseedPoint[] {
  if (typeof text !== "string") {
    throw new InvalidArgumentError(argument, `expected a string like "12@345 -> 0@7", got ${typeof text}`);
  }
  const trimmed = text.trim();
  if (trimmed === "") return [];
  return trimmed.split("->").map((raw, i) => {
    const entry = raw.trim();
    const at = entry.indexOf("@");
    if (at < 0) {
      throw new InvalidArgumentError(
        argument,
        `entry ${i + 1} "${entry}" has no "@": expected count@seed (e.g. 12@345)`,
      );
    }
    const count = recipeInteger(entry.slice(0, at), "count", i, entry, argument);
    const seed = recipeInteger(entry.slice(at + 1), "seed", i, entry, argument);
    return { count, seed };
  });
}

/** Formats reseed points as `count@seed -> count@seed` (the empty recipe is `""`). */
export function formatRecipe(points: readonly ReseedPoint[]): string {
  return points.map((p) => `${p.count}@${p.seed}`).join(" -> ");
}

/** Checks reseed points given as data (non-negative safe integers); returns a frozen copy. */
export function checkRecipe(points: readonly ReseedPoint[], argument = "recipe"): ReseedPoint[] {
  if (!Array.isArray(points)) {
    throw new InvalidArgumentError(argument, "expected a recipe string or an array of { count, seed }");
  }
  return points.map((p, i) => {
    for (const field of ["count", "seed"] as const) {
      const v = (p as unknown as Record<string, unknown> | null)?.[field];
      if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
        throw new InvalidArgumentError(
          `${argument}[${i}].${field}`,
          `expected a non-negative safe integer, got ${String(v)}`,
        );
      }
    }
    return { count: p.count, seed: p.seed };
  });
}

function recipeInteger(raw: string, what: string, i: number, entry: string, argument: string): number {
  const s = raw.trim();
  if (s.startsWith("-") && /^-\d+$/.test(s)) {
    throw new InvalidArgumentError(argument, `entry ${i + 1} "${entry}": ${what} ${s} is negative`);
  }
  if (!/^\d+$/.test(s)) {
    throw new InvalidArgumentError(
      argument,
      `entry ${i + 1} "${entry}": ${what} "${s}" is not a non-negative integer`,
    );
  }
  const n = Number(s);
  if (!Number.isSafeInteger(n)) {
    throw new InvalidArgumentError(
      argument,
      `entry ${i + 1} "${entry}": ${what} ${s} is not a safe integer (at most ${Number.MAX_SAFE_INTEGER})`,
    );
  }
  return n;
}
