// Device side of fast-path completions: the kernel counts them toward the busy bound (and may
// yield through the scheduler); kernels without that support resolve at once.
import type { SimKernel } from "./kernel.ts";

/** `value` as a fast-path completion of `kernel` (see `SimKernel.fastPath`). */
export function completeNow<T>(kernel: SimKernel, label: string, value: T): Promise<T> {
  return kernel.fastPath === undefined ? Promise.resolve(value) : kernel.fastPath(label, value);
}
