/** setTimeout's limit: longer delays overflow and fire after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A cancellable timer for any finite delay, chaining real timers past setTimeout's limit. */
export function startTimer(ms: number, fire: () => void): () => void {
  let handle: NodeJS.Timeout;
  const deadline = performance.now() + ms;
  const arm = (delay: number): void => {
    handle = setTimeout(() => {
      const left = deadline - performance.now();
      if (left > MAX_TIMER_MS) arm(MAX_TIMER_MS);
      else if (delay === MAX_TIMER_MS && left > 0) arm(left);
      else fire();
    }, delay);
  };
  arm(Math.min(ms, MAX_TIMER_MS));
  return () => clearTimeout(handle);
}
