import { defineConfig } from "vitest/config";
import { packageProject } from "../../vitest.shared.ts";

export default defineConfig(packageProject("campaign"));
