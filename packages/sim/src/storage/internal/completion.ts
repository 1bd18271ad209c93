// Every simulated storage operation completes the same way: after the disk model's latency, as
// an engine event that a crash of the owner cancels for good.
import type { StorageOp } from "@moonpool/chaos";
import type { OwnerDisk, SimStorage } from "../SimStorage.ts";

/** Schedules `complete` after the latency of `op` on `disk`; its result settles the promise. */
export function scheduleCompletion<T>(
  storage: SimStorage,
  disk: OwnerDisk,
  op: StorageOp,
  bytes: number,
  label: string,
  complete: () => T,
): Promise<T> {
  const waker = storage.kernel.waker<T>(`storage ${label}`);
  const latency = storage.latencyMs(disk.owner, op, bytes);
  const handle = storage.kernel.schedule(latency, `storage ${op}`, () => {
    disk.pending.delete(handle);
    try {
      waker.wake(complete());
    } catch (error) {
      waker.fail(error);
    }
  });
  disk.pending.add(handle);
  return waker.promise;
}
