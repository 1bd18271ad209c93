// The flags `packages/cli/src/cli.ts` defines and the flags docs/cli-reference.md documents, so
// a test can hold the reference to the code.

/** Command name -> its flags (`--name`, without the value placeholder), in definition order. */
export type FlagsByCommand = Map<string, string[]>;

/** The commands and flags of a cac definition: `.command("name <arg>")` then its `.option("--flag <v>")`s. */
export function cliFlags(source: string): FlagsByCommand {
  const commands: FlagsByCommand = new Map();
  const parts = source.split(/\.command\(\s*/).slice(1);
  for (const part of parts) {
    const name = /^["']([\w-]+)/.exec(part)?.[1];
    if (name === undefined)
      throw new Error(`cli.ts: a .command( call without a literal name: ${part.slice(0, 40)}`);
    const flags = [...part.matchAll(/\.option\(\s*["'](--[\w-]+)/g)].map((m) => m[1] as string);
    commands.set(name, flags);
  }
  return commands;
}

/**
 * The flags each `## \`moonpool <command>\`` section of the chapter lists in its table (rows
 * whose first cell is a backquoted flag).
 */
export function documentedFlags(markdown: string): FlagsByCommand {
  const commands: FlagsByCommand = new Map();
  let current: string[] | undefined;
  for (const line of markdown.split("\n")) {
    const heading = /^##\s+`moonpool ([\w-]+)`/.exec(line);
    if (heading !== null) {
      current = [];
      commands.set(heading[1] as string, current);
      continue;
    }
    if (/^##\s/.test(line)) current = undefined;
    const row = /^\|\s*`(--[\w-]+)`\s*\|/.exec(line);
    if (row !== null && current !== undefined) current.push(row[1] as string);
  }
  return commands;
}

/** Each disagreement between the code's flags and the chapter's, as a readable line. */
export function referenceProblems(code: FlagsByCommand, docs: FlagsByCommand): string[] {
  const problems: string[] = [];
  for (const [command, flags] of code) {
    const documented = docs.get(command);
    if (documented === undefined) {
      problems.push(`moonpool ${command}: no "## \`moonpool ${command}\`" section`);
      continue;
    }
    for (const flag of flags)
      if (!documented.includes(flag)) problems.push(`moonpool ${command}: ${flag} is not documented`);
    for (const flag of documented)
      if (!flags.includes(flag))
        problems.push(`moonpool ${command}: ${flag} is documented but cli.ts has no such flag`);
  }
  for (const command of docs.keys())
    if (!code.has(command)) problems.push(`moonpool ${command}: documented but cli.ts has no such command`);
  return problems;
}

/** Environment variables the sources read as `env.NAME`. */
export function envVariables(sources: readonly string[]): string[] {
  const names = new Set<string>();
  for (const s of sources) for (const m of s.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) names.add(m[1] as string);
  return [...names].sort();
}
