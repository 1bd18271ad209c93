// moonpool/testing: the provider conformance suite (`@moonpool/core/testing`). A subpath of its
// own because it imports vitest, which the main entry must not require.
export * from "@moonpool/core/testing";
