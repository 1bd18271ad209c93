import { exec, execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// Builds a miniature workspace (pnpm-style symlinks included), plants bad imports in it and
// runs the real scripts/check-layers.mjs against it.

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SCRIPT = join(REPO, "scripts", "check-layers.mjs");

let root: string;

async function file(path: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}

async function pkg(dir: string, name: string, deps: string[] = [], devDeps: string[] = []): Promise<void> {
  const record = (names: string[]) => Object.fromEntries(names.map((n) => [n, "workspace:*"]));
  await file(
    `packages/${dir}/package.json`,
    JSON.stringify({
      name,
      type: "module",
      exports: { ".": { "@moonpool/source": "./src/index.ts", default: "./dist/index.js" } },
      dependencies: record(deps),
      devDependencies: record(devDeps),
    }),
  );
  await file(`packages/${dir}/src/index.ts`, `export const ${dir} = "${dir}";\n`);
  await rm(join(root, `packages/${dir}/node_modules`), { recursive: true, force: true });
  // pnpm links exactly the declared workspace packages into the package's node_modules.
  for (const dep of [...deps, ...devDeps]) {
    const link = join(root, `packages/${dir}/node_modules/${dep}`);
    await mkdir(dirname(link), { recursive: true });
    await symlink(join(root, "packages", dep.replace("@moonpool/", "")), link, "dir");
  }
}

function check(): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, "--root", root], (error, stdout, stderr) => {
      resolve({
        code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
        output: stdout + stderr,
      });
    });
  });
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "moonpool-layers-"));
  await pkg("assertions", "@moonpool/assertions");
  await pkg("core", "@moonpool/core");
  await pkg("chaos", "@moonpool/chaos", ["@moonpool/core"]);
  await pkg("sim", "@moonpool/sim", ["@moonpool/core", "@moonpool/chaos"]);
  await pkg("transport", "@moonpool/transport", ["@moonpool/core", "@moonpool/chaos"], ["@moonpool/sim"]);
  await file("packages/sim/src/world.ts", 'import { core } from "@moonpool/core";\nexport const w = core;\n');
  await file(
    "packages/transport/src/peer.ts",
    'import { chaos } from "@moonpool/chaos";\nimport { core } from "@moonpool/core";\nexport const p = chaos + core;\n',
  );
  await file(
    "packages/transport/test/peer.test.ts",
    'import { sim } from "@moonpool/sim";\nexport const t = sim;\n',
  );
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("scripts/check-layers.mjs", () => {
  it("passes on a workspace that follows the layers", async () => {
    const { code, output } = await check();
    expect(output).toMatch(/layers ok/);
    expect(code).toBe(0);
  }, 30_000);

  // One run with every kind of violation planted at once (each run of dependency-cruiser costs
  // seconds on a loaded machine); each must be reported by its own rule and file.
  it("fails on every kind of violation at once, naming each", async () => {
    // Upward import by package name (chaos -> sim, not linked).
    await file(
      "packages/chaos/src/bad.ts",
      'import { sim } from "@moonpool/sim";\nexport const bad = sim;\n',
    );
    // Upward import even when the package is declared and linked (transport -> sim).
    await pkg("transport", "@moonpool/transport", ["@moonpool/core", "@moonpool/chaos", "@moonpool/sim"]);
    await file(
      "packages/transport/src/bad.ts",
      'import { sim } from "@moonpool/sim";\nexport const bad = sim;\n',
    );
    // Upward relative, type-only import (assertions -> sim).
    await file(
      "packages/assertions/src/bad.ts",
      'import type { SimThing } from "../../sim/src/world.ts";\nexport type X = SimThing;\n',
    );
    // A workspace package missing from package.json (sim -> assertions).
    await file(
      "packages/sim/src/checks.ts",
      'import { assertions } from "@moonpool/assertions";\nexport const c = assertions;\n',
    );
    // A type-only cycle (allowed) and a runtime cycle (not).
    await file("packages/core/src/a.ts", 'import type { B } from "./b.ts";\nexport const a: B = { n: 1 };\n');
    await file(
      "packages/core/src/b.ts",
      'import type { A } from "./c.ts";\nexport type B = { n: number; a?: A };\nexport const b = 1;\n',
    );
    await file("packages/core/src/c.ts", 'import type { B } from "./b.ts";\nexport type A = B;\n');
    await file("packages/core/src/x.ts", 'import { y } from "./y.ts";\nexport const x = () => y;\n');
    await file("packages/core/src/y.ts", 'import { x } from "./x.ts";\nexport const y = () => x;\n');
    // Tests may use sim (transport's test does, see beforeEach) but not a higher layer.
    await pkg("explorer", "@moonpool/explorer", ["@moonpool/sim"]);
    await file(
      "packages/transport/test/explore.test.ts",
      'import { explorer } from "@moonpool/explorer";\nexport const e = explorer;\n',
    );

    const { code, output } = await check();
    expect(code).toBe(1);
    expect(output).toContain("layer-src:chaos: packages/chaos/src/bad.ts -> @moonpool/sim");
    expect(output).toContain(
      "layer-src:transport: packages/transport/src/bad.ts -> packages/sim/src/index.ts",
    );
    expect(output).toContain(
      "layer-src:assertions: packages/assertions/src/bad.ts -> packages/sim/src/world.ts",
    );
    expect(output).toContain("undeclared-src:sim: packages/sim/src/checks.ts -> @moonpool/assertions");
    expect(output).toMatch(/no-circular: packages\/core\/src\/(x|y)\.ts/);
    expect(output).not.toMatch(/no-circular: packages\/core\/src\/(b|c)\.ts/);
    expect(output).toContain(
      "layer-test:transport: packages/transport/test/explore.test.ts -> @moonpool/explorer",
    );
    expect(output).not.toContain("packages/transport/test/peer.test.ts");
  }, 60_000);

  it("is what `pnpm lint` (and so `pnpm test`) runs: its layer step fails on a planted upward import", async () => {
    const { scripts } = JSON.parse(await readFile(join(REPO, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(scripts.test).toMatch(/\bpnpm lint\b/);
    const steps = (scripts.lint ?? "").split("&&").map((step) => step.trim());
    const layerStep = steps.find((step) => step.includes("scripts/check-layers.mjs"));
    expect(layerStep, `lint script: ${scripts.lint}`).toBeDefined();
    await file(
      "packages/core/src/bad.ts",
      'import { transport } from "@moonpool/transport";\nexport const bad = transport;\n',
    );
    // The lint script's own command, from the repository root, pointed at the planted workspace.
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      exec(`${layerStep} --root "${root}"`, { cwd: REPO }, (error, stdout, stderr) => {
        resolve({
          code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
          output: stdout + stderr,
        });
      });
    });
    expect(code).toBe(1);
    expect(output).toContain("layer-src:core: packages/core/src/bad.ts -> @moonpool/transport");
  }, 30_000);
});
