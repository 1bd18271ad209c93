#!/usr/bin/env node
// Layer check, run by `pnpm lint`: fails when a package's source imports a layer above it, a
// workspace package its package.json does not declare, or when source files import each other
// in a cycle. The layer table is ARCHITECTURE.md's; the rules are dependency-cruiser rules
// generated from it and from each package's package.json.
//
// Usage: node scripts/check-layers.mjs [--root <workspace dir>]

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { cruise } from "dependency-cruiser";

/** What each package's `src/` may import (by directory name under packages/). */
export const LAYERS = {
  assertions: [],
  core: [],
  chaos: ["core"],
  transport: ["core", "assertions", "chaos"],
  codegen: ["core", "transport", "assertions", "chaos"],
  sim: ["core", "chaos", "assertions"],
  explorer: ["sim", "assertions", "core", "chaos"],
  campaign: ["sim", "explorer", "core", "assertions", "chaos"],
  cli: ["sim", "explorer", "campaign", "core", "assertions", "chaos"],
  moonpool: ["core", "assertions", "chaos", "transport", "codegen", "sim", "explorer", "campaign", "cli"],
};

/** Tests may also use the simulator (through devDependencies). */
const TEST_EXTRA = ["sim"];

function parseArgs(argv) {
  const i = argv.indexOf("--root");
  return { root: resolve(i >= 0 ? argv[i + 1] : join(import.meta.dirname, "..")) };
}

function escapeRegex(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Workspace packages under packages/: directory name -> package.json. */
function readPackages(root) {
  const dir = join(root, "packages");
  const packages = new Map();
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, "package.json");
    if (existsSync(file)) packages.set(name, JSON.parse(readFileSync(file, "utf8")));
  }
  return packages;
}

/** A regex matching imports of the given packages, resolved (a path) or not (a module name). */
function targetPattern(dirs, packages) {
  const paths = dirs.map((d) => `packages/${escapeRegex(d)}/`);
  const names = dirs.map((d) => `${escapeRegex(packages.get(d).name)}(/|$)`);
  return `^(${[...paths, ...names].join("|")})`;
}

function declared(pkg, includeDev) {
  return new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
    ...(includeDev ? Object.keys(pkg.devDependencies ?? {}) : []),
  ]);
}

/** The forbidden rules for every package found in the workspace. */
export function buildRules(packages) {
  const rules = [];
  const all = [...packages.keys()];
  for (const [dir, pkg] of packages) {
    const layer = LAYERS[dir];
    if (!layer) {
      throw new Error(`packages/${dir} is not in the layer table of scripts/check-layers.mjs: add it`);
    }
    for (const scope of ["src", "test"]) {
      const allowed = new Set([dir, ...layer, ...(scope === "test" ? TEST_EXTRA : [])]);
      const above = all.filter((d) => !allowed.has(d));
      if (above.length > 0) {
        rules.push({
          name: `layer-${scope}:${dir}`,
          comment: `packages/${dir}/${scope} may only import ${[...allowed].sort().join(", ")} (ARCHITECTURE.md layers)`,
          severity: "error",
          from: { path: `^packages/${escapeRegex(dir)}/${scope}/` },
          to: { path: targetPattern(above, packages) },
        });
      }
      const deps = declared(pkg, scope === "test");
      const undeclared = all.filter((d) => d !== dir && allowed.has(d) && !deps.has(packages.get(d).name));
      if (undeclared.length > 0) {
        rules.push({
          name: `undeclared-${scope}:${dir}`,
          comment: `packages/${dir}/package.json does not declare this workspace package${scope === "test" ? " (devDependencies count for tests)" : ""}`,
          severity: "error",
          from: { path: `^packages/${escapeRegex(dir)}/${scope}/` },
          to: { path: targetPattern(undeclared, packages) },
        });
      }
    }
  }
  rules.push({
    name: "no-circular",
    comment: "source files import each other in a cycle (type-only imports are erased and do not count)",
    severity: "error",
    from: { path: "^packages/[^/]+/src/" },
    to: {
      circular: true,
      dependencyTypesNot: ["type-only", "type-import"],
      viaOnly: { dependencyTypesNot: ["type-only", "type-import"] },
    },
  });
  return rules;
}

async function main() {
  const { root } = parseArgs(process.argv.slice(2));
  process.chdir(root);
  const packages = readPackages(root);
  const roots = [...packages.keys()]
    .flatMap((d) => [`packages/${d}/src`, `packages/${d}/test`])
    .filter((p) => existsSync(join(root, p)));
  const result = await cruise(
    roots,
    {
      validate: true,
      ruleSet: { forbidden: buildRules(packages) },
      tsPreCompilationDeps: true,
      doNotFollow: { path: "(^|/)node_modules/" },
      exclude: { path: "(^|/)(dist|node_modules)/" },
      moduleSystems: ["es6", "cjs"],
      enhancedResolveOptions: {
        conditionNames: ["@moonpool/source", "import", "node", "default", "types"],
        extensions: [".ts", ".mts", ".js", ".mjs", ".json"],
        exportsFields: ["exports"],
        mainFields: ["module", "main", "types"],
      },
    },
    undefined,
    undefined,
  );
  const output = result.output;
  const violations = output.summary.violations.filter((v) => v.rule.severity === "error");
  if (violations.length === 0) {
    console.log(`layers ok: ${output.summary.totalCruised} modules, ${packages.size} packages`);
    return;
  }
  const rules = new Map(buildRules(packages).map((r) => [r.name, r]));
  console.error(`layer check failed: ${violations.length} violation(s)\n`);
  for (const v of violations) {
    const cycle = v.cycle?.length
      ? `\n    cycle: ${[v.from, ...v.cycle.map((c) => c.name ?? c)].join(" -> ")}`
      : "";
    console.error(
      `  ${v.rule.name}: ${v.from} -> ${v.to}${cycle}\n    ${rules.get(v.rule.name)?.comment ?? ""}`,
    );
  }
  process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  await main();
}
