// moonpool: the facade. One dependency that re-exports the layers a typical user needs, so a
// project can `import { SimulationBuilder, always, buggify, nodeProviders } from "moonpool"`.
// Explorer, codegen and the CLI stay separate installs: most users never import them.

export * from "@moonpool/assertions";
// Name clashes between the layers, resolved explicitly (an `export *` clash would otherwise
// drop the name silently for JavaScript and fail for TypeScript):
// - `RebootKind`: chaos's attrition model and sim's devices both name the same union
//   ("graceful" | "crash" | "wipe"); chaos owns the concept (the planner chooses it).
export type { RebootKind } from "@moonpool/chaos";
export * from "@moonpool/chaos";
export * from "@moonpool/core";
// The real Node providers live in a subpath of core (`@moonpool/core/node`); the facade lifts
// them to the top level. The conformance suite (`@moonpool/core/testing`) imports vitest, so it
// stays a subpath: `moonpool/testing`.
export * from "@moonpool/core/node";
export * from "@moonpool/sim";
export * from "@moonpool/transport";
