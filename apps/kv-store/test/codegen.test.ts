// The checked-in protocol.service.ts must be what `pnpm codegen` generates from protocol.ts, so a
// declaration edited without regenerating fails CI.
import { fileURLToPath } from "node:url";
import { checkGenerated } from "@moonpool/codegen";
import { expect, it } from "vitest";

it("src/protocol.service.ts is current with src/protocol.ts (run `pnpm codegen`)", () => {
  const cwd = fileURLToPath(new URL("..", import.meta.url));
  expect(checkGenerated(["src/protocol.ts"], { cwd })).toEqual([]);
});
