import { expect } from "vitest";

// Small helpers shared by the conformance suites. Bodies may run inside a simulation, so they
// use nothing but the providers (no real timers, no setImmediate).

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function text(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : decoder.decode(bytes);
}

/**
 * The error thrown by `action`, whether it throws synchronously or returns a rejecting promise.
 * Fails the test when it succeeds.
 */
export async function errorOf(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  return expect.unreachable("expected the operation to fail, but it succeeded");
}

/** Asserts that `action` fails with an error whose `code` is `code`, and returns that error. */
export async function expectCode(action: () => unknown, code: string): Promise<unknown> {
  const error = await errorOf(action);
  expect((error as { code?: unknown } | null)?.code, `error: ${String(error)}`).toBe(code);
  return error;
}

/** Concatenates chunks into one array. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((n, c) => n + c.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** Index of the first differing byte, or -1 when equal (lengths included). */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.byteLength, b.byteLength);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.byteLength === b.byteLength ? -1 : n;
}
