// The checked-in counterApi.service.ts must be what `pnpm codegen` generates from counterApi.ts,
// so a declaration edited without regenerating fails CI.
import { fileURLToPath } from "node:url";
import { checkGenerated } from "@moonpool/codegen";
import { expect, it } from "vitest";

it("src/counterApi.service.ts is current with src/counterApi.ts (run `pnpm codegen`)", () => {
  const cwd = fileURLToPath(new URL("..", import.meta.url));
  expect(checkGenerated(["src/counterApi.ts"], { cwd })).toEqual([]);
});
