// The RPC interface of a counter node, as a declaration. `pnpm codegen` generates
// counterApi.service.ts from it: the transport definition `Counter` with its validators, the
// handler interface and the client/server helpers.

/** Who asks for a value (for the ack ledger). */
export interface IncrementRequest {
  client: string;
}

/** The value handed out: strictly greater than every value this node handed out before. */
export interface IncrementResponse {
  value: number;
}

/** The RPC interface of a counter node. @service */
export interface Counter {
  increment(req: IncrementRequest): Promise<IncrementResponse>;
}
