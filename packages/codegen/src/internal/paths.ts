// How emitted code names things: string literals, property access that never reads
// `Object.prototype`, and error paths built from literal pieces and runtime expressions.

/** A path relative to the checked root: literal pieces and runtime expressions. */
export type Path = readonly ({ lit: string } | { expr: string })[];

const PROTO_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
const IDENT = /^[A-Za-z_$][\w$]*$/;

/** A JavaScript string literal. */
export function lit(s: string): string {
  return JSON.stringify(s);
}

/** A string literal, or a template literal when the path has runtime parts (array indices, keys). */
export function render(p: Path): string {
  if (p.every((piece) => "lit" in piece))
    return lit(p.map((piece) => (piece as { lit: string }).lit).join(""));
  return `\`${p
    .map((piece) =>
      "lit" in piece ? piece.lit.replace(/[`\\]|\$\{/g, (m) => `\\${m}`) : `\${${piece.expr}}`,
    )
    .join("")}\``;
}

/** A path segment or member access: `.name` or `["odd name"]`. */
export function seg(name: string): string {
  return IDENT.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** A property name in an object literal. */
export function propName(name: string): string {
  return IDENT.test(name) ? name : JSON.stringify(name);
}

/** Property access that never reads an inherited `Object.prototype` member. */
export function read(obj: string, name: string): string {
  const access = IDENT.test(name) ? `${obj}.${name}` : `${obj}[${lit(name)}]`;
  return PROTO_NAMES.has(name) ? `(Object.hasOwn(${obj}, ${lit(name)}) ? ${access} : undefined)` : access;
}
