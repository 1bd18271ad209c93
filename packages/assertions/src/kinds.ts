// The assertion kinds. A kind is named after the function that evaluates it, so a catalog entry
// reads like the call it stands for: registerAssertion("sometimesGreaterThan", "queue grows").

/** Every assertion kind, named after its function. */
export const ASSERTION_KINDS = [
  "always",
  "alwaysOrUnreachable",
  "sometimes",
  "reachable",
  "unreachable",
  "alwaysGreaterThan",
  "alwaysGreaterThanOrEqualTo",
  "alwaysLessThan",
  "alwaysLessThanOrEqualTo",
  "sometimesGreaterThan",
  "sometimesGreaterThanOrEqualTo",
  "sometimesLessThan",
  "sometimesLessThanOrEqualTo",
  "alwaysSome",
  "sometimesAll",
  "sometimesEach",
] as const;

/** One of {@link ASSERTION_KINDS}. */
export type AssertionKind = (typeof ASSERTION_KINDS)[number];

/**
 * What a kind promises, which decides its status at the end of a run:
 * - `always`: every evaluation holds and it is evaluated at least once (else "miss");
 * - `alwaysOrUnreachable`: every evaluation holds; never evaluated is fine;
 * - `sometimes`: holds at least once (coverage);
 * - `reachable`: reached at least once (coverage);
 * - `unreachable`: never reached.
 */
export type KindFamily = "always" | "alwaysOrUnreachable" | "sometimes" | "reachable" | "unreachable";

/** The family of each kind. */
export const KIND_FAMILY: Readonly<Record<AssertionKind, KindFamily>> = {
  always: "always",
  alwaysOrUnreachable: "alwaysOrUnreachable",
  sometimes: "sometimes",
  reachable: "reachable",
  unreachable: "unreachable",
  alwaysGreaterThan: "always",
  alwaysGreaterThanOrEqualTo: "always",
  alwaysLessThan: "always",
  alwaysLessThanOrEqualTo: "always",
  sometimesGreaterThan: "sometimes",
  sometimesGreaterThanOrEqualTo: "sometimes",
  sometimesLessThan: "sometimes",
  sometimesLessThanOrEqualTo: "sometimes",
  alwaysSome: "always",
  sometimesAll: "sometimes",
  sometimesEach: "sometimes",
};

/**
 * Watermark direction of the numeric kinds: the watermark is the best margin `left - right`
 * seen, "best" meaning closest to a violation for the always kinds and closest to (or furthest
 * past) the goal for the sometimes kinds. `true`: the maximum is kept; `false`: the minimum.
 * Matches the `maximize` flag of the Antithesis SDK's numeric guidance.
 */
export const NUMERIC_MAXIMIZE: Readonly<Partial<Record<AssertionKind, boolean>>> = {
  alwaysGreaterThan: false,
  alwaysGreaterThanOrEqualTo: false,
  alwaysLessThan: true,
  alwaysLessThanOrEqualTo: true,
  sometimesGreaterThan: true,
  sometimesGreaterThanOrEqualTo: true,
  sometimesLessThan: false,
  sometimesLessThanOrEqualTo: false,
};

/** True for the kinds whose promise is "holds every time" (their failure is a violation). */
export function isAlwaysFamily(kind: AssertionKind): boolean {
  const f = KIND_FAMILY[kind];
  return f === "always" || f === "alwaysOrUnreachable";
}

/** True for the kinds that measure coverage: a sometimes-type or a reachable. */
export function isCoverageKind(kind: AssertionKind): boolean {
  const f = KIND_FAMILY[kind];
  return f === "sometimes" || f === "reachable";
}

/** Type guard for a kind name. */
export function isAssertionKind(value: unknown): value is AssertionKind {
  return typeof value === "string" && (ASSERTION_KINDS as readonly string[]).includes(value);
}

/** Small integer code of a kind as stored in the table (0 means "no kind"). */
export function kindCode(kind: AssertionKind): number {
  return ASSERTION_KINDS.indexOf(kind) + 1;
}

/** The kind stored under a table code, or undefined for 0 / an unknown code. */
export function kindFromCode(code: number): AssertionKind | undefined {
  return ASSERTION_KINDS[code - 1];
}
