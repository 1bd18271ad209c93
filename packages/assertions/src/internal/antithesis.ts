// Optional output in the Antithesis SDK's local JSON-lines format: when the environment variable
// ANTITHESIS_SDK_LOCAL_OUTPUT names a file, declarations (catalog entries, `hit: false`),
// the first passing and first failing evaluation of each assertion, and numeric / boolean
// guidance improvements are appended to it, one JSON object per line, as the SDK would write
// them. Node's fs is reached through process.getBuiltinModule so the package keeps no static
// dependency on Node and stays loadable elsewhere (where this output is simply off).

import type { AssertionKind } from "../kinds.ts";
import { toJsonSafe } from "./details.ts";

/** Environment variable naming the output file (read lazily, at first use and after a reset). */
export const ANTITHESIS_OUTPUT_VAR = "ANTITHESIS_SDK_LOCAL_OUTPUT";

type AssertType = "always" | "sometimes" | "reachability";

const SDK_FIELDS: Record<AssertionKind, { assertType: AssertType; mustHit: boolean; display: string }> = {
  always: { assertType: "always", mustHit: true, display: "Always" },
  alwaysOrUnreachable: { assertType: "always", mustHit: false, display: "AlwaysOrUnreachable" },
  sometimes: { assertType: "sometimes", mustHit: true, display: "Sometimes" },
  reachable: { assertType: "reachability", mustHit: true, display: "Reachable" },
  unreachable: { assertType: "reachability", mustHit: false, display: "Unreachable" },
  alwaysGreaterThan: { assertType: "always", mustHit: true, display: "Always" },
  alwaysGreaterThanOrEqualTo: { assertType: "always", mustHit: true, display: "Always" },
  alwaysLessThan: { assertType: "always", mustHit: true, display: "Always" },
  alwaysLessThanOrEqualTo: { assertType: "always", mustHit: true, display: "Always" },
  sometimesGreaterThan: { assertType: "sometimes", mustHit: true, display: "Sometimes" },
  sometimesGreaterThanOrEqualTo: { assertType: "sometimes", mustHit: true, display: "Sometimes" },
  sometimesLessThan: { assertType: "sometimes", mustHit: true, display: "Sometimes" },
  sometimesLessThanOrEqualTo: { assertType: "sometimes", mustHit: true, display: "Sometimes" },
  alwaysSome: { assertType: "always", mustHit: true, display: "Always" },
  sometimesAll: { assertType: "sometimes", mustHit: true, display: "Sometimes" },
  sometimesEach: { assertType: "sometimes", mustHit: true, display: "Sometimes" },
};

// No stack is captured per call; the location is left empty, as the SDK does when it has none.
const NO_LOCATION = { class: "", function: "", file: "", begin_line: 0, begin_column: 0 };

interface FsLike {
  openSync(path: string, flags: string): number;
  writeSync(fd: number, data: string): number;
}

/** Writes SDK-format lines to one file. */
export interface AntithesisOutput {
  readonly path: string;
  /** A catalog entry: `hit: false`. */
  declare(kind: AssertionKind, message: string): void;
  /** An evaluation; only the first passing and first failing one per id are written. */
  evaluate(kind: AssertionKind, id: string, condition: boolean, details: () => unknown): void;
  /** A guidance improvement (numeric watermark or sometimesAll frontier). */
  guidance(message: string, type: "numeric" | "boolean", maximize: boolean, data: unknown): void;
}

function hostProcess():
  | { env?: Record<string, string | undefined>; getBuiltinModule?(id: string): unknown }
  | undefined {
  return (globalThis as { process?: ReturnType<typeof hostProcess> }).process;
}

/** Opens the output named by the environment, or returns null when it is unset or unusable. */
export function openAntithesisOutput(report: (problem: string) => void): AntithesisOutput | null {
  const proc = hostProcess();
  const path = proc?.env?.[ANTITHESIS_OUTPUT_VAR];
  if (path === undefined || path === "") return null;
  let fs: FsLike | undefined;
  let fd: number;
  try {
    fs = proc?.getBuiltinModule?.("node:fs") as FsLike | undefined;
    if (fs === undefined) throw new Error("node:fs is not available");
    fd = fs.openSync(path, "a");
  } catch (e) {
    report(`${ANTITHESIS_OUTPUT_VAR}=${path}: cannot open (${e instanceof Error ? e.message : String(e)})`);
    return null;
  }
  const file = fs;
  let failed = false;
  const write = (line: object): void => {
    if (failed) return;
    try {
      file.writeSync(fd, `${JSON.stringify(line)}\n`);
    } catch (e) {
      failed = true;
      report(
        `${ANTITHESIS_OUTPUT_VAR}=${path}: write failed (${e instanceof Error ? e.message : String(e)})`,
      );
    }
  };
  const emitted = new Map<string, number>(); // id -> bit 1: pass written, bit 2: fail written
  write({
    antithesis_sdk: {
      language: { name: "JavaScript" },
      sdk_version: "moonpool-assertions",
      protocol_version: "1.1.0",
    },
  });
  const assertLine = (
    kind: AssertionKind,
    id: string,
    hit: boolean,
    condition: boolean,
    details: unknown,
  ) => {
    const f = SDK_FIELDS[kind];
    write({
      antithesis_assert: {
        id,
        message: id,
        location: NO_LOCATION,
        assert_type: f.assertType,
        must_hit: f.mustHit,
        display_type: f.display,
        hit,
        condition,
        details,
      },
    });
  };
  return {
    path,
    declare(kind, message) {
      assertLine(kind, message, false, false, null);
    },
    evaluate(kind, id, condition, details) {
      const bit = condition ? 1 : 2;
      const seen = emitted.get(id) ?? 0;
      if ((seen & bit) !== 0) return;
      emitted.set(id, seen | bit);
      assertLine(kind, id, true, condition, toJsonSafe(details() ?? {}));
    },
    guidance(message, type, maximize, data) {
      write({
        antithesis_guidance: {
          id: message,
          message,
          location: NO_LOCATION,
          guidance_type: type,
          maximize,
          hit: true,
          guidance_data: toJsonSafe(data),
        },
      });
    },
  };
}
