// Names shared by the emitters, so the TypeScript, JSON Schema and Rust outputs agree.

import type { MethodModel, ServiceModel } from "../model.ts";

function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The name of an inline request/response type: `CounterGetRequest` (the TypeScript alias's). */
export function inlineName(s: ServiceModel, m: MethodModel, side: "request" | "response"): string {
  return `${s.name}${upperFirst(m.name)}${side === "request" ? "Request" : "Response"}`;
}
