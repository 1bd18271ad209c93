import type { StandardSchemaV1 } from "@standard-schema/spec";

export type { StandardSchemaV1 };

/** True for any Standard Schema validator (zod 4, valibot, arktype, ...). */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const props = (value as { "~standard"?: { version?: unknown; validate?: unknown } })["~standard"];
  return (
    typeof props === "object" && props !== null && props.version === 1 && typeof props.validate === "function"
  );
}

function segment(key: PropertyKey | StandardSchemaV1.PathSegment): string {
  const k = typeof key === "object" ? key.key : key;
  if (typeof k === "number") return `[${k}]`;
  const text = String(k);
  return /^[A-Za-z_$][\w$]*$/.test(text) ? `.${text}` : `[${JSON.stringify(text)}]`;
}

/**
 * A decoder (throws on failure) from a Standard Schema. Issues are reported as
 * `root.a[2].b: message`, like the generated validators. Async schemas are refused: a request is
 * decoded synchronously when its frame arrives.
 */
export function schemaDecoder<T>(schema: StandardSchemaV1<unknown, T>, root: string): (value: unknown) => T {
  return (value) => {
    const result = schema["~standard"].validate(value);
    if (result instanceof Promise) {
      result.catch(() => {});
      throw new TypeError(
        `${root}: the schema validates asynchronously (only synchronous schemas are supported)`,
      );
    }
    if (result.issues) {
      throw new TypeError(
        result.issues.map((i) => `${root}${(i.path ?? []).map(segment).join("")}: ${i.message}`).join("; "),
      );
    }
    return result.value;
  };
}
