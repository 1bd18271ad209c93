// Turns any value into plain JSON data without ever throwing: bigints become decimal strings,
// cycles "[Circular]", functions and symbols descriptive strings, errors {name, message}, and a
// getter or toJSON that throws is replaced by a note. Assertion details come from user code
// that may be half-broken at the very moment an assertion fails, so this must be total.

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const MAX_DEPTH = 32;

/** Plain JSON data for `value` (never throws). `undefined` at the top level becomes null. */
export function toJsonSafe(value: unknown): JsonValue {
  const converted = convert(value, [], 0);
  return converted === undefined ? null : converted;
}

/** `JSON.stringify` of {@link toJsonSafe}; never throws. */
export function stringifySafe(value: unknown): string {
  try {
    return JSON.stringify(toJsonSafe(value));
  } catch {
    return '"[Unserializable]"';
  }
}

function describeError(e: unknown): string {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return "unknown error";
  }
}

function convert(value: unknown, ancestors: object[], depth: number): JsonValue | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // JSON has no NaN or Infinity; keep them readable rather than turning them into null.
      return Number.isFinite(value) ? value : String(value);
    case "bigint":
      return value.toString();
    case "undefined":
      return undefined;
    case "symbol":
      return value.toString();
    case "function":
      return `[Function ${value.name || "anonymous"}]`;
    default:
      break;
  }
  if (value === null) return null;
  const obj = value as object;
  if (ancestors.includes(obj)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Too deep]";
  ancestors.push(obj);
  try {
    return convertObject(obj, ancestors, depth);
  } catch (e) {
    return `[Unserializable: ${describeError(e)}]`;
  } finally {
    ancestors.pop();
  }
}

function convertObject(obj: object, ancestors: object[], depth: number): JsonValue {
  if (obj instanceof Error) {
    return { name: obj.name, message: obj.message };
  }
  if (obj instanceof Date) {
    return Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString();
  }
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    let replaced: unknown;
    try {
      replaced = toJSON.call(obj);
    } catch (e) {
      return `[toJSON failed: ${describeError(e)}]`;
    }
    if (replaced !== obj) return convert(replaced, ancestors, depth + 1) ?? null;
  }
  if (Array.isArray(obj) || ArrayBuffer.isView(obj)) {
    const items = Array.isArray(obj) ? obj : Array.from(obj as unknown as ArrayLike<unknown>);
    return items.map((item) => convert(item, ancestors, depth + 1) ?? null);
  }
  if (obj instanceof Map) {
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of obj) {
      const converted = convert(v, ancestors, depth + 1);
      if (converted !== undefined)
        out[typeof k === "string" ? k : String(convert(k, ancestors, depth + 1))] = converted;
    }
    return out;
  }
  if (obj instanceof Set) {
    return [...obj].map((item) => convert(item, ancestors, depth + 1) ?? null);
  }
  const out: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(obj)) {
    let item: unknown;
    try {
      item = (obj as Record<string, unknown>)[key];
    } catch (e) {
      out[key] = `[getter failed: ${describeError(e)}]`;
      continue;
    }
    const converted = convert(item, ancestors, depth + 1);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}

/**
 * `{ ...base, ...extra }` that cannot throw: a hostile `extra` (throwing getters or proxy traps)
 * is replaced by a note, so the merged details still reach the violation.
 */
export function mergeDetails(base: () => object, extra: unknown): Record<string, unknown> {
  let head: Record<string, unknown>;
  try {
    head = { ...base() };
  } catch (e) {
    head = { conditions: `[Unreadable: ${describeError(e)}]` };
  }
  if (extra === undefined || extra === null) return head;
  try {
    return { ...head, ...(extra as object) };
  } catch (e) {
    return { ...head, details: `[Unreadable: ${describeError(e)}]` };
  }
}
