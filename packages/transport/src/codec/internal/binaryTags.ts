// Tags of the self-describing binary format (see BinaryCodec).
export const T_NULL = 0;
export const T_FALSE = 1;
export const T_TRUE = 2;
/** Zigzag varint, |n| < 2^52 (so the zigzag value stays a safe integer). */
export const T_INT = 3;
/** f64 LE. */
export const T_FLOAT = 4;
/** Sign byte + varint magnitude byte length + LE magnitude. */
export const T_BIGINT = 5;
/** Varint byte length + UTF-8. */
export const T_STRING = 6;
/** Varint length + bytes. */
export const T_BYTES = 7;
/** Varint count + items. */
export const T_ARRAY = 8;
/** Varint count + (string key, value) pairs. */
export const T_OBJECT = 9;
export const T_UNDEFINED = 10;

/** Larger integers go as f64, which holds them exactly. */
export const ZIGZAG_LIMIT = 2 ** 52;
export const MAX_DEPTH = 256;
