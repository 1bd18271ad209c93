// The project vitest.test.ts runs in a child vitest: simTest used as a user would.
import { defineConfig } from "vitest/config";
import { sourceConditions } from "../../../../vitest.shared.ts";

export default defineConfig({
  root: import.meta.dirname,
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ["@moonpool/source"] } },
  test: { include: ["*.check.ts"], testTimeout: 60_000 },
});
