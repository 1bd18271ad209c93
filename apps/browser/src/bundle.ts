// Bundles the page with esbuild for the browser: the "browser" condition points `@moonpool/sim`
// and its `#host` import at the browser host. The simulator's Node-only corners that the bundle
// still reaches (the node:net compatibility socket, the real providers' modules) get stand-ins
// that throw if called: a simulation in a page never uses them.
import { copyFileSync, mkdirSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile, type Plugin } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Real implementations where a stand-in would change behaviour (sim and transport parse addresses). */
const IPV4 = String.raw`/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/`;
const PROVIDED: Record<string, Record<string, string>> = {
  net: {
    isIPv4: `(s) => ${IPV4}.test(String(s))`,
    isIPv6: `(s) => { s = String(s); if (!s.includes(":")) return false; try { new URL("http://[" + s + "]/"); return true; } catch { return false; } }`,
    isIP: `(s) => (isIPv4(s) ? 4 : isIPv6(s) ? 6 : 0)`,
  },
};

/** `node:x` → a module with the same export names, each throwing "not in a browser" when used. */
const nodeStandIns: Plugin = {
  name: "node-stand-ins",
  setup(b) {
    const builtins = new Set(builtinModules);
    b.onResolve({ filter: /^[a-z_/]+$|^node:/ }, (args) => {
      const name = args.path.replace(/^node:/, "");
      if (!builtins.has(name) && !args.path.startsWith("node:")) return undefined;
      return { path: name, namespace: "node-stand-in" };
    });
    b.onLoad({ filter: /.*/, namespace: "node-stand-in" }, (args) => {
      const real = require(args.path) as Record<string, unknown>;
      const lines = [
        `const missing = (n) => function () { throw new Error("node:${args.path}." + n + " is not available in a browser"); };`,
      ];
      const provided = PROVIDED[args.path] ?? {};
      for (const key of Object.keys(real)) {
        if (!/^[A-Za-z_$][\w$]*$/.test(key) || key === "default") continue;
        lines.push(
          `export function ${key}(...a) { return (${provided[key] ?? `missing(${JSON.stringify(key)})`})(...a); }`,
        );
      }
      lines.push(`export default {};`);
      return { contents: lines.join("\n"), loader: "js" };
    });
  },
};

/** Writes `page.js` and `index.html` into `outDir`; returns esbuild's account of the bundle. */
export async function bundlePage(outDir: string): Promise<Metafile> {
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(here, "page.ts")],
    outfile: join(outDir, "page.js"),
    bundle: true,
    format: "iife", // a classic script: a page opened from a file cannot load modules
    platform: "browser",
    target: "es2022",
    conditions: ["@moonpool/source"],
    plugins: [nodeStandIns],
    metafile: true,
    logLevel: "warning",
  });
  copyFileSync(join(here, "index.html"), join(outDir, "index.html"));
  return result.metafile;
}

/** The bundle's modules that import a Node built-in (each gets a stand-in), by module. */
export function nodeImporters(meta: Metafile): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [path, input] of Object.entries(meta.inputs)) {
    const names = input.imports.filter((i) => i.path.startsWith("node-stand-in:")).map((i) => i.path);
    if (names.length > 0) out.set(path, names);
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = join(here, "..", "dist");
  const meta = await bundlePage(out);
  const bytes = Object.values(meta.outputs).reduce((n, o) => n + o.bytes, 0);
  console.log(`wrote ${join(out, "index.html")} (page.js: ${(bytes / 1024).toFixed(0)} KiB)`);
}
