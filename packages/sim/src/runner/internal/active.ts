// The process-wide "one simulation at a time" registry. It lives on globalThis so two copies of
// @moonpool/sim in one process (the CLI's and the user's) still see each other.
const ACTIVE = Symbol.for("moonpool.sim.active");
type Holder = { [ACTIVE]?: { description: string } | null };

/** Marks a simulation as running; throws when another one already is. Returns the release. */
export function claimActiveSimulation(description: string): () => void {
  const g = globalThis as Holder;
  const current = g[ACTIVE];
  if (current) {
    throw new Error(
      `another simulation is already running in this process (${current.description}); ` +
        "only one simulation runs at a time: await its run() before starting the next",
    );
  }
  const entry = { description };
  g[ACTIVE] = entry;
  return () => {
    if (g[ACTIVE] === entry) g[ACTIVE] = null;
  };
}
