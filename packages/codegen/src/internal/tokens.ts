// The method-token record in a generated module's header: `--check` reads the previous one to tell a
// method reorder (a wire protocol break) apart from an ordinary stale file.

const PREFIX = "moonpool-codegen tokens ";

/** `moonpool-codegen tokens Counter: add=1 get=2` (method index = position + 1). */
export function tokenLine(service: string, methods: readonly string[]): string {
  return `${PREFIX}${service}: ${methods.map((m, i) => `${m}=${i + 1}`).join(" ")}`;
}

/** The method order of each service recorded in a generated module's header. */
export function readTokens(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    if (!line.startsWith("//")) break;
    const body = line.slice(2).trim();
    if (!body.startsWith(PREFIX)) continue;
    const [service, list = ""] = body.slice(PREFIX.length).split(": ");
    const methods: string[] = [];
    for (const item of list.split(" ").filter((x) => x.length > 0)) {
      const [name, index] = item.split("=");
      if (name !== undefined && index !== undefined) methods[Number(index) - 1] = name;
    }
    out.set(service!, methods);
  }
  return out;
}

/**
 * Every method whose token changes between two recorded orders: a method that moved to another
 * index, or was removed (appending methods is safe and is not reported).
 */
export function tokenChanges(
  before: ReadonlyMap<string, readonly string[]>,
  after: ReadonlyMap<string, readonly string[]>,
): string[] {
  const changes: string[] = [];
  for (const [service, old] of before) {
    const now = after.get(service);
    if (now === undefined) continue; // a removed or renamed service is only stale
    old.forEach((m, i) => {
      const j = now.indexOf(m);
      if (j < 0) changes.push(`${service}.${m} was removed (index ${i + 1}): its token is gone`);
      else if (j !== i)
        changes.push(
          `${service}.${m} moved from index ${i + 1} to ${j + 1}: its token changes (base.adjusted(${i + 1}) -> base.adjusted(${j + 1})), breaking the wire protocol`,
        );
    });
  }
  return changes;
}
