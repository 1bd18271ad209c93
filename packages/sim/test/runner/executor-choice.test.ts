// The runner suite must not depend on its surroundings: outside a git checkout (a tarball copy,
// no git on PATH) it still runs against the real executor.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const choice = fileURLToPath(new URL("./executor-choice.ts", import.meta.url));

function availableWith(env: Record<string, string>): boolean {
  const out = execFileSync(
    process.execPath,
    [
      "--conditions=@moonpool/source",
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      `const m = await import(${JSON.stringify(choice)}); process.stdout.write(String(m.realExecutorAvailable));`,
    ],
    // No PATH: git (or any other tool) cannot be found, as on a machine without a checkout.
    { encoding: "utf8", env: { ...env, PATH: "" } },
  );
  return out.trim() === "true";
}

describe("executor choice", () => {
  it("uses the real executor without git on PATH", () => {
    expect(availableWith({})).toBe(true);
  });

  it("MOONPOOL_FAKE_EXECUTOR=1 still selects the fake executor", () => {
    expect(availableWith({ MOONPOOL_FAKE_EXECUTOR: "1" })).toBe(false);
  });
});
