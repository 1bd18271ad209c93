// The TypeScript blocks of the book and the READMEs, as modules a test can compile and run.
// A block fenced ```ts is a whole module: it is type-checked with the repository's strict
// settings, and run. ```ts check-only is type-checked but not run (it opens real sockets, runs
// for long, or is meant to be run by hand). ```ts continues is the block before it (the nearest
// one that does not itself continue) followed by its own code. ```ts fragment is neither checked
// nor run: a piece of a larger example, shown for reading (kept rare; the test counts them).
// A block whose first line is `// name.ts ...` is that module: the blocks after it import it as
// "./name.ts"; other relative imports resolve from the markdown file's directory.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export type BlockMode = "run" | "check-only" | "fragment";

export interface CodeBlock {
  /** Path of the markdown file, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly mode: BlockMode;
  /** The block's own code, and the code the module is made of (with the block it continues). */
  readonly code: string;
  readonly moduleCode: string;
  /** `name.ts` when the block names itself in its first line. */
  readonly name: string | undefined;
  readonly continues: boolean;
}

/** The markdown files whose blocks are tested: the book, the root README, every package's and app's. */
export function bookFiles(root: string): string[] {
  const files = ["README.md"];
  for (const dir of ["docs"]) {
    for (const name of readdirSync(join(root, dir)).sort())
      if (name.endsWith(".md")) files.push(`${dir}/${name}`);
  }
  for (const parent of ["packages", "apps"]) {
    for (const name of readdirSync(join(root, parent)).sort()) {
      try {
        readFileSync(join(root, parent, name, "README.md"));
        files.push(`${parent}/${name}/README.md`);
      } catch {}
    }
  }
  return files;
}

/** Every ```ts / ```typescript block of `text` (from `file`), with its mode. */
export function extractBlocks(file: string, text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)\b(.*)$/.exec(lines[i] as string);
    if (open === null) continue;
    const info = (open[2] ?? "").trim().split(/\s+/);
    const mode: BlockMode = info.includes("fragment")
      ? "fragment"
      : info.includes("check-only")
        ? "check-only"
        : "run";
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] as string); i++) body.push(lines[i] as string);
    if (i >= lines.length) throw new Error(`${file}:${start + 1}: a code block is never closed`);
    const code = `${body.join("\n")}\n`;
    let moduleCode = code;
    if (info.includes("continues")) {
      const base = [...blocks].reverse().find((b) => !b.continues);
      if (base === undefined)
        throw new Error(`${file}:${start + 1}: a "continues" block with no block before it`);
      moduleCode = `${base.moduleCode}\n${code}`;
    }
    const name = /^\/\/ ([\w.-]+\.ts)\b/.exec(body[0] ?? "")?.[1];
    blocks.push({
      file,
      line: start + 1,
      mode,
      code,
      moduleCode,
      name,
      continues: info.includes("continues"),
    });
  }
  return blocks;
}

/** The directory (under the blocks' root) of the blocks of `file`. */
export function blockDir(file: string): string {
  return file.replace(/\.md$/, "").replace(/[^A-Za-z0-9]+/g, "_");
}

/** The module file of `block` inside its directory. */
export function blockModuleName(block: CodeBlock): string {
  return block.name ?? `L${block.line}.ts`;
}

/**
 * `block`'s module code with relative imports of files that are not blocks of the same markdown
 * file resolved from the markdown file's directory (`root` is the repository, `dir` where the
 * block is written).
 */
export function resolvedModuleCode(
  block: CodeBlock,
  siblings: readonly CodeBlock[],
  root: string,
  dir: string,
): string {
  const names = new Set<string>();
  for (const b of siblings) {
    if (b.name === undefined) continue;
    names.add(b.name);
    if (b.code.includes("@service")) names.add(b.name.replace(/\.ts$/, ".service.ts")); // its generated module
  }
  return block.moduleCode.replace(/(from\s+["'])(\.\.?\/[^"']+)(["'])/g, (whole, open, spec, close) => {
    if (spec.startsWith("./") && names.has(spec.slice(2))) return whole;
    let target = relative(dir, join(root, dirname(block.file), spec));
    if (!target.startsWith(".")) target = `./${target}`;
    return `${open}${target}${close}`;
  });
}
