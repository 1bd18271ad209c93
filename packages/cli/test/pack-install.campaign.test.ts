// A user's own project, end to end: `pnpm build` the packages a user installs (moonpool and
// @moonpool/cli, with their @moonpool/* dependencies), check what `pnpm pack` puts in each
// tarball (exports and bins point at built files, no @moonpool/source condition left), install
// the tarballs with npm into a fresh project under the OS temp directory (outside this
// workspace), write a TypeScript simulation there with failing seeds, and run it as a user
// would: `npx moonpool run`, then the printed replay command exactly as printed (in a shell with
// the project's bins on PATH, as an npm script has), then `--workers 2` against one worker.
//
// npm fetches the third-party dependencies from the registry (--prefer-offline). Without npm or
// the registry the test is skipped with a message, unless MOONPOOL_REQUIRE_PACK=1 (CI sets it).
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const required = process.env.MOONPOOL_REQUIRE_PACK === "1";
/** What a user names in `npm i -D`: the facade and the command. */
const TOP_LEVEL = ["moonpool", "@moonpool/cli"];

function run(command: string, args: readonly string[], cwd: string, timeoutMs = 120_000) {
  const r: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: "1", TURBO_TELEMETRY_DISABLED: "1", JOB_COMPLETION_INDEX: "" },
  });
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", error: r.error };
}

/** Why the test cannot run here (no npm, registry unreachable), or undefined. */
function unavailable(): string | undefined {
  const npm = run("npm", ["--version"], root, 30_000);
  if (npm.code !== 0) return `npm is not available (${npm.error?.message ?? npm.stderr.trim()})`;
  const ping = run("npm", ["ping"], root, 30_000);
  if (ping.code !== 0) return `the npm registry is unreachable (${ping.stderr.trim().split("\n")[0]})`;
  return undefined;
}

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  exports?: unknown;
  bin?: Record<string, string>;
  files?: string[];
}

/** The workspace packages by name, with their directories. */
function workspacePackages(): Map<string, { dir: string; manifest: Manifest }> {
  const packages = new Map<string, { dir: string; manifest: Manifest }>();
  for (const name of readdirSync(join(root, "packages"))) {
    const dir = join(root, "packages", name);
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
      packages.set(manifest.name, { dir, manifest });
    } catch {
      // not a package
    }
  }
  return packages;
}

/** `names` and every workspace package they depend on, transitively. */
function closure(names: readonly string[], packages: ReturnType<typeof workspacePackages>): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !packages.has(name)) return;
    seen.add(name);
    for (const dep of Object.keys(packages.get(name)!.manifest.dependencies ?? {})) visit(dep);
  };
  for (const name of names) visit(name);
  return [...seen].sort();
}

/** Every string target of an exports map, with the conditions on the path to it. */
function exportTargets(
  exports: unknown,
  conditions: string[] = [],
): { conditions: string[]; target: string }[] {
  if (typeof exports === "string") return [{ conditions, target: exports }];
  if (exports === null || typeof exports !== "object") return [];
  return Object.entries(exports as Record<string, unknown>).flatMap(([key, value]) =>
    exportTargets(value, [...conditions, key]),
  );
}

const SIMULATION = `import { sometimes } from "moonpool";
import { SimulationBuilder } from "moonpool/sim";

// A die: a roll of 0 fails the seed (about one seed in six).
export default () =>
  new SimulationBuilder()
    .workload({
      name: "dice",
      async run(ctx) {
        const roll: number = ctx.random.int(0, 6);
        await ctx.time.sleep(roll);
        sometimes(roll === 5, "a five");
        if (roll === 0) throw new Error(\`rolled a \${roll}\`);
      },
    })
    .iterations(12);
`;

const skipReason = unavailable();
if (skipReason !== undefined && !required)
  console.warn(
    `pack-install test skipped: ${skipReason} (set MOONPOOL_REQUIRE_PACK=1 to make it fail instead)`,
  );

describe.runIf(skipReason === undefined || required)("packed packages in a fresh npm project", () => {
  const work = mkdtempSync(join(tmpdir(), "moonpool-pack-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("build, pack, npm install, npx moonpool run and the printed replay command", () => {
    if (skipReason !== undefined) throw new Error(`MOONPOOL_REQUIRE_PACK=1 but ${skipReason}`);
    const packages = workspacePackages();
    const names = closure(TOP_LEVEL, packages);
    expect(names).toEqual(expect.arrayContaining([...TOP_LEVEL, "@moonpool/sim", "@moonpool/core"]));

    // 1. Build just those packages (and their dependencies).
    const build = run(
      "pnpm",
      [
        "exec",
        "turbo",
        "run",
        "build",
        "--output-logs=errors-only",
        ...TOP_LEVEL.map((n) => `--filter=${n}...`),
      ],
      root,
      240_000,
    );
    expect(build.code, `pnpm build failed:\n${build.stdout}\n${build.stderr}`).toBe(0);

    // 2. Pack each one; check the manifest and file list that would be published.
    const tarballs = join(work, "tarballs");
    mkdirSync(tarballs);
    for (const name of names) {
      const { dir } = packages.get(name)!;
      const pack = run("pnpm", ["pack", "--pack-destination", tarballs], dir);
      expect(pack.code, `pnpm pack ${name} failed:\n${pack.stderr}`).toBe(0);
    }
    const files = readdirSync(tarballs).filter((f) => f.endsWith(".tgz"));
    expect(files.length).toBe(names.length);
    for (const file of files) {
      const tgz = join(tarballs, file);
      const listing = run("tar", ["tzf", tgz], work);
      expect(listing.code).toBe(0);
      const inside = new Set(listing.stdout.split("\n").map((l) => l.replace(/^package\//, "")));
      const manifest = JSON.parse(
        run("tar", ["xzf", tgz, "-O", "package/package.json"], work).stdout,
      ) as Manifest;
      const where = `${manifest.name} (${file})`;
      expect(
        JSON.stringify(manifest.exports),
        `${where}: published exports keep @moonpool/source`,
      ).not.toContain("@moonpool/source");
      expect(
        JSON.stringify(manifest.dependencies ?? {}),
        `${where}: a workspace: range is left`,
      ).not.toContain("workspace:");
      const targets = exportTargets(manifest.exports).filter((t) => !t.target.endsWith("package.json"));
      expect(targets.length, `${where}: no exports`).toBeGreaterThan(0);
      for (const t of targets) {
        expect(t.target, `${where}: export ${t.conditions.join(" > ")} points outside dist/`).toMatch(
          /^\.\/dist\//,
        );
        expect(inside.has(t.target.slice(2)), `${where}: ${t.target} is not in the tarball`).toBe(true);
      }
      // Each entry point has its declarations.
      for (const t of targets.filter((x) => x.conditions.at(-1) === "default"))
        expect(
          inside.has(t.target.slice(2).replace(/\.js$/, ".d.ts")),
          `${where}: no .d.ts for ${t.target}`,
        ).toBe(true);
      for (const [bin, target] of Object.entries(manifest.bin ?? {}))
        expect(
          inside.has(target.replace(/^\.\//, "")),
          `${where}: bin ${bin} (${target}) is not in the tarball`,
        ).toBe(true);
    }

    // 3. A fresh project outside the workspace, installing the tarballs.
    const project = join(work, "user-project");
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      `${JSON.stringify({ name: "moonpool-user-project", version: "1.0.0", private: true }, null, 2)}\n`,
    );
    const install = run(
      "npm",
      [
        "install",
        "--save-dev",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        ...files.map((f) => join(tarballs, f)),
      ],
      project,
      240_000,
    );
    expect(install.code, `npm install failed:\n${install.stdout}\n${install.stderr}`).toBe(0);
    writeFileSync(join(project, "dice.sim.ts"), SIMULATION);

    // 4. `npx moonpool run`: some seeds fail, each printed with its replay command.
    const first = run("npx", ["moonpool", "run", "dice.sim.ts", "--no-progress"], project);
    expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(1);
    expect(first.stdout).toContain("rolled a 0");
    const replay = /replay: (moonpool replay dice\.sim\.ts --seed (\d+))/.exec(first.stdout);
    expect(replay, `no replay command in:\n${first.stdout}`).not.toBeNull();
    const [, command, seed] = replay!;

    // 5. The replay command exactly as printed, in a shell with the project's bins on PATH.
    const again = run("npm", ["exec", "--no", "-c", command!], project);
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(1);
    expect(again.stdout).toContain(`seed ${seed}`);
    expect(again.stdout).toContain("rolled a 0");
    expect(again.stdout).toMatch(/1 seed \| 0 passed \| 1 failed/);

    // 6. The built worker pool: same report for two workers as for one.
    const one = run("npx", ["moonpool", "run", "dice.sim.ts", "--json", "--no-progress"], project);
    const two = run(
      "npx",
      ["moonpool", "run", "dice.sim.ts", "--json", "--no-progress", "--workers", "2"],
      project,
    );
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    const withoutWall = (json: string) => json.replace(/"wallMs":[0-9.e+-]+/g, '"wallMs":0');
    expect(withoutWall(two.stdout)).toBe(withoutWall(one.stdout));
    expect((JSON.parse(one.stdout) as { failingSeeds: number[] }).failingSeeds).toContain(Number(seed));
  }, 600_000);
});
