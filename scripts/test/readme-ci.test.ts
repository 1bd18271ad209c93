import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The README's two set-up commands are the contract for a fresh machine; `.ci/run` must run
// exactly the test one, so a green CI means the README works.

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

async function readmeCommands(): Promise<string[]> {
  const readme = await readFile(join(REPO, "README.md"), "utf8");
  const setup = readme.slice(
    readme.indexOf("## Set-up"),
    readme.indexOf("\n## ", readme.indexOf("## Set-up") + 1),
  );
  return [...setup.matchAll(/```sh\n([^`]*?)\n```/g)].map((m) => m[1]!.trim());
}

describe("README set-up commands", () => {
  it("are two: one runs the demo, one runs the tests, each installing pnpm and the dependencies", async () => {
    const commands = await readmeCommands();
    expect(commands).toHaveLength(2);
    const [demo, test] = commands as [string, string];
    for (const command of commands) {
      expect(command).toMatch(/^npm i(nstall)? -g pnpm@\d+\.\d+\.\d+ && pnpm install --frozen-lockfile && /);
    }
    expect(demo).toMatch(/&& pnpm demo$/);
    expect(test).toMatch(/&& pnpm test$/);
  });

  it("pin the pnpm version of package.json's packageManager", async () => {
    const { packageManager } = JSON.parse(await readFile(join(REPO, "package.json"), "utf8")) as {
      packageManager: string;
    };
    for (const command of await readmeCommands()) expect(command).toContain(`npm i -g ${packageManager} `);
  });

  it(".ci/run runs exactly the README's test command (after the system packages the tests need)", async () => {
    const script = await readFile(join(REPO, ".ci", "run"), "utf8");
    const commands = script
      .split("\n")
      .map((line) => line.trim())
      .filter(
        (line) => line !== "" && !line.startsWith("#") && !line.startsWith("set ") && !line.startsWith("cd "),
      );
    // Before it: only the Debian packages (.ci/system-deps) and the flags that make their tests
    // mandatory; the README's test command itself is the last line, unchanged.
    expect(commands.at(-1)).toBe((await readmeCommands())[1]);
    for (const line of commands.slice(0, -1))
      expect(line).toMatch(/^(bash \.ci\/system-deps|export( MOONPOOL_[A-Z_]+=1)+)$/);
  });

  it("the test script covers typecheck, lint and every vitest project", async () => {
    const { scripts } = JSON.parse(await readFile(join(REPO, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(scripts.test).toBe("pnpm typecheck && pnpm lint && vitest run");
  });
});
