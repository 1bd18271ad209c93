// Table sizes: defaults, validation, and the byte size of a table.

import { bucketWords, HEADER_WORDS, slotWords } from "./internal/layout.ts";

/** Sizes of a table. */
export interface AssertionTableOptions {
  /** Assertion slots (distinct messages). Default 1024. */
  slots?: number;
  /** sometimesEach buckets, all sites together. Default 4096. */
  buckets?: number;
  /** Bytes of each message kept in the table (longer ones are kept as a prefix). Default 120. */
  messageBytes?: number;
  /** Bytes of each bucket label kept in the table. Default 88. */
  labelBytes?: number;
}

const DEFAULTS = { slots: 1024, buckets: 4096, messageBytes: 120, labelBytes: 88 };

function checkSize(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

function roundUp8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** Sizes with defaults filled in, validated, and byte capacities rounded up to 8. */
export function resolveSizes(options: AssertionTableOptions): Required<AssertionTableOptions> {
  return {
    slots: checkSize("options.slots", options.slots ?? DEFAULTS.slots, 1, 1 << 20),
    buckets: checkSize("options.buckets", options.buckets ?? DEFAULTS.buckets, 1, 1 << 22),
    messageBytes: roundUp8(
      checkSize("options.messageBytes", options.messageBytes ?? DEFAULTS.messageBytes, 8, 4096),
    ),
    labelBytes: roundUp8(checkSize("options.labelBytes", options.labelBytes ?? DEFAULTS.labelBytes, 8, 4096)),
  };
}

/** Bytes a table of these sizes needs (to allocate a SharedArrayBuffer for it yourself). */
export function assertionTableBytes(options: AssertionTableOptions = {}): number {
  const s = resolveSizes(options);
  return 4 * (HEADER_WORDS + s.slots * slotWords(s.messageBytes) + s.buckets * bucketWords(s.labelBytes));
}
