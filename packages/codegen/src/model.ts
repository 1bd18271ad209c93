/** Where a declaration is: for error messages (`file:line:column`). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Number formats: `number` is `f64`; the others are integer aliases checked for range. */
export type NumberFormat = "f64" | "f32" | "u8" | "u16" | "u32" | "i8" | "i16" | "i32";
/** `bigint` formats (exact 64-bit integers on the wire). Plain `bigint` is `u64`. */
export type BigIntFormat = "u64" | "i64";

/** The generator's model of a message type. */
export type TypeModel =
  | { readonly kind: "string" }
  | { readonly kind: "boolean" }
  | { readonly kind: "null" }
  | { readonly kind: "number"; readonly format: NumberFormat }
  | { readonly kind: "bigint"; readonly format: BigIntFormat }
  | { readonly kind: "literal"; readonly value: string | number | boolean }
  /** A union of string literals (a Rust enum of unit variants). */
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "array"; readonly item: TypeModel }
  | { readonly kind: "tuple"; readonly items: readonly TypeModel[] }
  | { readonly kind: "object"; readonly fields: readonly FieldModel[] }
  | { readonly kind: "record"; readonly value: TypeModel }
  | { readonly kind: "nullable"; readonly inner: TypeModel }
  /** A discriminated union; on the wire an externally tagged serde enum. */
  | { readonly kind: "union"; readonly tag: string; readonly variants: readonly VariantModel[] }
  | { readonly kind: "ref"; readonly name: string }
  | { readonly kind: "bytes" }
  | { readonly kind: "uid" }
  | { readonly kind: "endpoint" }
  | { readonly kind: "address" }
  /** `ServiceRef<S>`: an interface blob `{address, base_token}` of service `S`. */
  | { readonly kind: "service"; readonly service: string }
  /** A `void` response (`null` on the wire, Rust `()`). */
  | { readonly kind: "void" };

/** A field of an object type. */
export interface FieldModel {
  /** Name in TypeScript. */
  readonly name: string;
  /** Name on the wire (differs under `@rename snake_case`). */
  readonly wireName: string;
  readonly type: TypeModel;
  readonly optional: boolean;
}

/** One variant of a discriminated union: the tag value and the other fields. */
export interface VariantModel {
  readonly tag: string;
  readonly fields: readonly FieldModel[];
}

/** A named message type (an exported interface or type alias). */
export interface NamedType {
  readonly name: string;
  readonly type: TypeModel;
  /** Absolute path of the file declaring it. */
  readonly file: string;
  readonly location: SourceLocation;
  readonly doc: string | undefined;
}

/** One method of a service, in declaration order. */
export interface MethodModel {
  readonly name: string;
  readonly request: TypeModel;
  readonly response: TypeModel;
  readonly doc: string | undefined;
}

/** A `@service` interface. */
export interface ServiceModel {
  readonly name: string;
  readonly methods: readonly MethodModel[];
  readonly file: string;
  readonly location: SourceLocation;
  readonly doc: string | undefined;
}

/** Everything read from one source file. */
export interface FileModel {
  readonly file: string;
  readonly services: readonly ServiceModel[];
  /** Every named type the services use (also from other files), sorted by name. */
  readonly types: readonly NamedType[];
}
