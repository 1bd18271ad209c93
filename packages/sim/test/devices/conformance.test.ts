// The simulated network and storage pass the same provider conformance suites as the real Node
// providers; every test body runs inside one seed of the real executor.
import { providerConformance } from "@moonpool/core/testing";
import { runDevicesOk } from "./engine.ts";

let seed = 5000;

providerConformance({
  name: "simulated devices",
  host: "10.0.0.1",
  suites: ["network", "storage"],
  async run(body) {
    await runDevicesOk(seed++, (_world, self) => body(self));
  },
});
