// The options of the generated validators and of a server's (or client's) decoders.

/** Options of the generated validators; every limit has a safe default. */
export interface ValidateOptions {
  /** Name of the value at the root of paths. Default `"value"` (`"req"`/`"resp"` for methods). */
  readonly root?: string;
  /** `"reject"`: fields a type does not declare are errors. Default `"allow"` (ignored; decoding drops them). */
  readonly unknownKeys?: "allow" | "reject";
  /** Deepest nesting of objects and arrays. Default 64. */
  readonly maxDepth?: number;
  /** Longest array (and most map entries). Default 100 000. */
  readonly maxArrayLength?: number;
  /** Longest string, in UTF-16 code units. Default 1 048 576. */
  readonly maxStringLength?: number;
  /** Longest byte string. Default 1 048 576. */
  readonly maxBytesLength?: number;
  /** Stop after this many errors (at least 1). Default 20. */
  readonly maxErrors?: number;
}

/**
 * Limits a server applies when it decodes requests (and a client when it decodes responses): the
 * validator options without `root`. Every limit has the safe default of {@link ValidateOptions}.
 * Exceeding one answers the request with a `Serialization` error naming the path and the limit
 * (`req.items: array longer than 100 (101)`, `req.note: string longer than 64 (65)`,
 * `req.parent.parent: nested deeper than 8`); the method keeps serving.
 */
export type DecodeLimits = Omit<ValidateOptions, "root">;
