import { defineConfig } from "vitest/config";
import { sourceConditions } from "./vitest.shared.ts";

// One project per package (each package's own vitest.config.ts), one for the repository's
// tooling (scripts/), plus the slow "campaigns" project: long multi-seed simulation campaigns,
// kept apart with a longer timeout.
export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "apps/*/vitest.config.ts",
      "scripts/vitest.config.ts",
      "docs/vitest.config.ts",
      {
        resolve: { conditions: sourceConditions },
        ssr: { resolve: { conditions: sourceConditions, externalConditions: ["@moonpool/source"] } },
        test: {
          name: "campaigns",
          include: ["packages/*/test/**/*.campaign.test.ts", "apps/*/test/**/*.campaign.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
