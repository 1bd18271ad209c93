import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Every publishable package resolves its siblings' source in development through the custom
// "@moonpool/source" condition and publishes `dist` (built by `tsc -b`) without it.

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PACKAGES = readdirSync(join(REPO, "packages")).filter((d) =>
  existsSync(join(REPO, "packages", d, "package.json")),
);

type Entry = Record<string, string> & { browser?: Record<string, string> };
interface Manifest {
  name: string;
  type?: string;
  types?: string;
  files?: string[];
  sideEffects?: boolean;
  exports: Record<string, Entry | string>;
  publishConfig?: { access?: string; exports?: Record<string, Entry | string> };
  scripts?: Record<string, string>;
}

const read = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(REPO, "packages", dir, "package.json"), "utf8")) as Manifest;

describe("package manifests", () => {
  it("cover every package of CONTRACT.md (plus @moonpool/campaign, an extension)", () => {
    expect(PACKAGES.map((d) => read(d).name).sort()).toEqual(
      [
        "@moonpool/assertions",
        "@moonpool/campaign",
        "@moonpool/chaos",
        "@moonpool/cli",
        "@moonpool/codegen",
        "@moonpool/core",
        "@moonpool/explorer",
        "@moonpool/sim",
        "@moonpool/transport",
        "moonpool",
      ].sort(),
    );
  });

  for (const dir of PACKAGES) {
    it(`packages/${dir}: ESM, side-effect free, source in dev, dist when published`, () => {
      const m = read(dir);
      expect(m.type).toBe("module");
      expect(m.sideEffects).toBe(false);
      expect(m.types).toBe("./dist/index.d.ts");
      expect(m.files).toContain("dist");
      expect(m.scripts?.build).toBe("tsc -b tsconfig.build.json");
      expect(m.publishConfig?.access).toBe("public");
      expect(existsSync(join(REPO, "packages", dir, "README.md"))).toBe(true);
      const published = m.publishConfig?.exports ?? {};
      expect(Object.keys(published).sort()).toEqual(Object.keys(m.exports).sort());
      /** A condition map: the dev condition first (conditions match in key order), dist mirrors src. */
      const checkEntry = (at: string, entry: Record<string, string>): void => {
        const source = entry["@moonpool/source"];
        expect(source, `${at} has a source entry`).toMatch(/^\.\/src\/.+\.ts$/);
        expect(existsSync(join(REPO, "packages", dir, source!)), `${source} exists`).toBe(true);
        // "development" is not used (consumers' bundlers set it).
        expect(Object.keys(entry)).toEqual(["@moonpool/source", "types", "default"]);
        const js = source!.replace(/^\.\/src\//, "./dist/").replace(/\.ts$/, ".js");
        expect(entry).toMatchObject({ default: js, types: js.replace(/\.js$/, ".d.ts") });
      };
      for (const [subpath, entry] of Object.entries(m.exports)) {
        if (typeof entry === "string") continue; // "./package.json"
        // An optional "browser" condition first (sim's browser build), shaped like the rest.
        const { browser, ...rest } = entry;
        if (browser !== undefined) {
          expect(Object.keys(entry)[0], `${subpath}: "browser" comes first`).toBe("browser");
          checkEntry(`${subpath} (browser)`, browser);
          expect(published[subpath]).toMatchObject({
            browser: { types: browser.types, default: browser.default },
          });
        }
        checkEntry(subpath, rest as Record<string, string>);
        const publishedEntry = { ...(published[subpath] as Entry) };
        delete publishedEntry.browser;
        expect(publishedEntry).toEqual({ types: rest.types, default: rest.default });
      }
    });
  }
});
