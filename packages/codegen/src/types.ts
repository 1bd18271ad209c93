// Type-only aliases a declaration can use to give a field its exact wire type. They are ordinary
// TypeScript types (`u64` is `bigint`); the generator reads the alias name.

/** Unsigned 64-bit integer (the default for plain `bigint`). */
export type u64 = bigint;
/** Signed 64-bit integer. */
export type i64 = bigint;
/** Unsigned 32-bit integer (checked: integer in 0..2^32-1). */
export type u32 = number;
/** Unsigned 16-bit integer. */
export type u16 = number;
/** Unsigned 8-bit integer. */
export type u8 = number;
/** Signed 32-bit integer. */
export type i32 = number;
/** Signed 16-bit integer. */
export type i16 = number;
/** Signed 8-bit integer. */
export type i8 = number;
/** 64-bit float (the default for plain `number`). */
export type f64 = number;
/** 32-bit float (a Rust `f32`; checked only as a finite number). */
export type f32 = number;

/**
 * A reference to a service interface `S` inside a message ("interfaces are data"): the blob a
 * server's or client's `toJSON()` gives, `{ address, base_token }`. Rebuild a client with the
 * generated definition's `fromJSON(transport, ref)`.
 */
export interface ServiceRef<S> {
  readonly address: { readonly ip: string; readonly port: number; readonly flags: number };
  readonly base_token: { readonly first: bigint; readonly second: bigint };
  /** Type carrier only. */
  readonly __service?: S;
}
