// A cheap running digest of engine events (two 32-bit FNV-1a lanes over the 32-bit halves of
// each number). It is a pure function of what the engine did, so the same seed gives the same
// hash alone or after other seeds in the same process.

const PRIME = 0x01000193;

/** Engine event kinds that enter the hash. */
export const HashKind = {
  wake: 1,
  event: 2,
  spawn: 3,
  taskEnd: 4,
  kill: 5,
  seedEnd: 6,
} as const;

/** A 64-bit running digest. */
export class EngineHash {
  private h1 = 0x811c9dc5;
  private h2 = 0x050c5d1f;

  /** Mixes one non-negative safe integer (or any number, truncated) into the digest. */
  mix(x: number): void {
    const lo = x >>> 0;
    const hi = x > 0xffffffff ? Math.floor(x / 0x100000000) >>> 0 : 0;
    let h1 = Math.imul(this.h1 ^ lo, PRIME);
    h1 = Math.imul(h1 ^ hi, PRIME);
    let h2 = Math.imul(this.h2 ^ hi, PRIME);
    h2 = Math.imul((h2 ^ lo) + 0x9e3779b9, PRIME);
    this.h1 = h1;
    this.h2 = h2 ^ (h1 >>> 15);
  }

  /** Records one engine event. */
  record(kind: number, timeNs: number, actorId: number, taskId: number, draws: number): void {
    this.mix(kind);
    this.mix(timeNs);
    this.mix(actorId);
    this.mix(taskId);
    this.mix(draws);
  }

  /** The digest as 16 hex digits. */
  hex(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, "0") + (this.h2 >>> 0).toString(16).padStart(8, "0");
  }
}
