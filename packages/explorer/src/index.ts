/**
 * @moonpool/explorer: multiverse exploration of simulations by re-execution. A timeline is a
 * pure function of (root seed, recipe); a coordinator decides what is new and applies results
 * in a canonical order, so a campaign is the same in-process and on any number of workers.
 */
export {
  type AdaptiveLimits,
  buildReport,
  type ExplorationBug,
  type ExplorationReport,
  type ExplorationSeed,
  type ExploreOptions,
  type ExplorePolicy,
  type ExploreProgress,
  type ExploreReport,
  explore,
} from "./explore.ts";
export { type ExploreFileOptions, exploreFile } from "./explore-file.ts";
export { childSeed, formatRecipe, parseRecipe, type Recipe, recipeText, type SplitPoint } from "./recipe.ts";
