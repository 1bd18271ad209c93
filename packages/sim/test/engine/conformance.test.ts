// The simulated time, task and random providers must pass the same conformance suite as the
// real Node providers; each test body runs inside one seed, as the root task of an actor.
import type { NetworkProvider, Providers, StorageProvider } from "@moonpool/core";
import { providerConformance } from "@moonpool/core/testing";
import { run } from "./helpers.ts";

let seed = 1000;

function unavailable(what: string): never {
  throw new Error(`${what} is not part of the engine conformance run`);
}

providerConformance({
  name: "simulated engine",
  host: "10.0.0.1",
  suites: ["time", "task", "random"],
  async run(body) {
    const outcome = await run(seed++, async (_kernel, actors) => {
      const actor = actors.createActor("conformance", "10.0.0.1");
      const providers: Providers = {
        time: actor.time,
        task: actor.task,
        random: actor.random,
        network: new Proxy({}, { get: () => unavailable("network") }) as NetworkProvider,
        storage: new Proxy({}, { get: () => unavailable("storage") }) as StorageProvider,
      };
      await actor.task.spawn("body", () => body(providers)).join();
    });
    if (!outcome.ok) throw outcome.error;
  },
});
