// Word layout of the assertion table. Everything is a 32-bit word in one Int32Array (so Atomics
// work on every counter and latch), except the float64 watermarks and quality scores, which sit
// 8-byte aligned and are written under a per-record spinlock. Records have a fixed size, so the
// table can live in a SharedArrayBuffer that several worker threads map at once.

/** "MPAS": marks a buffer that holds an assertion table. */
export const MAGIC = 0x4d504153;
/** Bumped whenever the layout changes; a buffer with another version is refused. */
export const LAYOUT_VERSION = 1;

// Header words.
export const H_MAGIC = 0;
export const H_VERSION = 1;
export const H_SLOT_CAPACITY = 2;
export const H_BUCKET_CAPACITY = 3;
export const H_MESSAGE_BYTES = 4;
export const H_LABEL_BYTES = 5;
export const H_SLOTS_USED = 6;
export const H_BUCKETS_USED = 7;
/** Distinct assertions that found the table full. */
export const H_SLOT_OVERFLOW = 8;
/** Distinct buckets that found the table full. */
export const H_BUCKET_OVERFLOW = 9;
/** Bumped by every clear, so each attached thread drops its message -> slot cache. */
export const H_GENERATION = 10;
export const H_DISCOVERIES = 11;
export const H_VIOLATIONS = 12;
/** Header size in words (even, so the records after it stay 8-byte aligned). */
export const HEADER_WORDS = 16;

// Record states (word 0 of a slot or bucket).
export const EMPTY = 0;
export const CLAIMING = 1;
export const READY = 2;

// Assertion slot words.
export const S_STATE = 0;
export const S_HASH_A = 1;
export const S_HASH_B = 2;
export const S_KIND = 3;
/** Full UTF-8 length of the message (the stored bytes may be a truncated prefix). */
export const S_MESSAGE_LENGTH = 4;
export const S_PASS_LO = 5;
export const S_PASS_HI = 6;
export const S_FAIL_LO = 7;
export const S_FAIL_HI = 8;
/** Latch: 0 until the first passing evaluation since the run start or the last re-arm. */
export const S_FIRST_PASS = 9;
/** Latch: 0 until the first failing evaluation (a violation is logged once). */
export const S_FIRST_FAIL = 10;
/** sometimesAll: most conditions true at once; sometimesEach: unused. */
export const S_FRONTIER = 11;
/** sometimesAll: most conditions given in one call; sometimesEach: number of buckets. */
export const S_WIDTH = 12;
export const S_LOCK = 13;
/** 1 once a watermark has been stored. */
export const S_WATERMARK_SET = 14;
/** Latch: 0 until the first passing evaluation of the run (never re-armed). */
export const S_EVER_PASS = 15;
/** float64 (two words, 8-byte aligned). */
export const S_WATERMARK = 16;
export const S_MESSAGE = 18;

// Bucket words (sometimesEach).
export const B_STATE = 0;
export const B_HASH_A = 1;
export const B_HASH_B = 2;
/** Slot index of the sometimesEach site the bucket belongs to. */
export const B_SITE = 3;
export const B_LABEL_LENGTH = 4;
export const B_HITS_LO = 5;
export const B_HITS_HI = 6;
export const B_LOCK = 7;
/** Number of quality values stored in B_QUALITY (0: no quality tracked yet). */
export const B_QUALITY_COUNT = 8;
/** Latch: 1 once the bucket was hit since its creation or the last re-arm. */
export const B_SEEN = 9;
/** float64 x MAX_QUALITY (8-byte aligned). */
export const B_QUALITY = 12;
/** Quality keys beyond this many are ignored (and reported). */
export const MAX_QUALITY = 4;
export const B_LABEL = B_QUALITY + 2 * MAX_QUALITY;

/** Words per slot for a given message capacity (a multiple of 8 bytes). */
export function slotWords(messageBytes: number): number {
  return S_MESSAGE + messageBytes / 4;
}

/** Words per bucket for a given label capacity (a multiple of 8 bytes). */
export function bucketWords(labelBytes: number): number {
  return B_LABEL + labelBytes / 4;
}
