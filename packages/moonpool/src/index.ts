// moonpool: the production facade. One dependency that re-exports what service code needs
// (providers, real Node providers, transport, and the assertions and BUGGIFY that are inert
// outside a simulation), so `import { nodeProviders, NetTransport, always, buggify } from
// "moonpool"` never loads the simulator. The simulator is `moonpool/sim`; the provider
// conformance suite is `moonpool/testing`. Explorer, codegen and the CLI stay separate installs.

export * from "@moonpool/assertions";
export * from "@moonpool/chaos";
export * from "@moonpool/core";
// The real Node providers live in a subpath of core (`@moonpool/core/node`); the facade lifts
// them to the top level.
export * from "@moonpool/core/node";
export * from "@moonpool/transport";
