import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeProviders } from "../src/node/index.ts";
import { providerConformance } from "../src/testing/index.ts";

// The real providers against the shared suite: loopback TCP and a fresh temp dir per test.
providerConformance({
  name: "nodeProviders",
  host: "127.0.0.1",
  async run(body) {
    const dataDir = await mkdtemp(join(tmpdir(), "moonpool-conformance-"));
    try {
      await body(nodeProviders({ dataDir }));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  },
});
