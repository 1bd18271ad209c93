// Shared vitest settings: every package resolves its siblings' TypeScript source through the
// custom "@moonpool/source" export condition, so tests need no build step.
import type { ViteUserConfig } from "vitest/config";

export const sourceConditions = ["@moonpool/source", "module", "node", "import", "default"];

/** Base config for one package's project; `name` is the vitest project name. */
export function packageProject(name: string): ViteUserConfig {
  return {
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: ["@moonpool/source"] } },
    test: {
      name,
      include: ["test/**/*.test.ts"],
      exclude: ["test/**/*.campaign.test.ts", "**/node_modules/**"],
      testTimeout: 20_000,
      hookTimeout: 20_000,
    },
  };
}
