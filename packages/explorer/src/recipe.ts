// Recipes of exploration timelines. Externally moonpool's text form `count@seed -> count@seed`;
// internally each split point also carries the ordinal of the assertion call that split, so a
// child goes live exactly after that call.
import { formatRecipe, parseRecipe, type TimelinePoint } from "@moonpool/sim";
import { Fnv64 } from "./internal/fnv.ts";

export { formatRecipe, parseRecipe };

/** A split point of a timeline (see `TimelinePoint`): reseed after `count` draws, live after call `ordinal`. */
export interface SplitPoint extends TimelinePoint {
  readonly ordinal: number;
}

/** A timeline's recipe: its split points from the root. */
export type Recipe = readonly SplitPoint[];

/** The text form of a recipe (`count@seed -> ...`, the ordinals dropped: replay needs only draws). */
export function recipeText(recipe: readonly TimelinePoint[]): string {
  return formatRecipe(recipe);
}

/**
 * The seed of child `index` split at `mark` from a timeline of root seed `rootSeed` with recipe
 * `parent`: FNV-1a-64 over all of them (and the continuation `round`), so two root seeds, two
 * parents or two marks never share a child-seed tree (moonpool's v0.8 forgot the root seed).
 */
export function childSeed(rootSeed: number, parent: Recipe, mark: string, index: number, round = 0): number {
  const h = new Fnv64().u64(rootSeed).u64(parent.length);
  for (const p of parent) h.u64(p.count).u64(p.ordinal).u64(p.seed);
  return h.text(mark).u64(round).u64(index).safe();
}
