import { defineConfig } from "vitest/config";
import { packageProject } from "../vitest.shared.ts";

// Tests of the repository's own tooling (layer check, bench harness).
export default defineConfig(packageProject("scripts"));
