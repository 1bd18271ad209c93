/**
 * What a killed incarnation's devices return: a promise that never settles. Its code may still
 * run on (a continuation resolved by a live task); its next device call parks it for good.
 */
export const NEVER: Promise<never> = new Promise<never>(() => {});
