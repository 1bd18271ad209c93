// The floor an executor is measured against: the same timer-heavy workload (100 tasks x 2,000
// random sleeps) on the smallest scheduler that can run it, a binary heap of (time, sequence,
// resolve) drained in virtual-time order, with no actors, tracing, budgets or hermetic globals.
// Two drains: one microtask per event (the cheapest possible), and the engine's own re-arm
// (a microtask, then `process.nextTick`), which runs each step only once every microtask settled.

type Entry = { at: number; seq: number; resolve: () => void };

class TimerHeap {
  private readonly items: Entry[] = [];
  private seq = 0;
  now = 0;

  get size(): number {
    return this.items.length;
  }

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => this.push({ at: this.now + ms, seq: this.seq++, resolve }));
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(e: Entry): void {
    const h = this.items;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i] as Entry, h[p] as Entry)) break;
      [h[i], h[p]] = [h[p] as Entry, h[i] as Entry];
      i = p;
    }
  }

  pop(): Entry | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l] as Entry, h[m] as Entry)) m = l;
      if (r < h.length && this.less(h[r] as Entry, h[m] as Entry)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m] as Entry, h[i] as Entry];
      i = m;
    }
    return top;
  }
}

/** A small LCG for the sleeps (the engine draws from its counted stream). */
function delays(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return 1 + (state % 1_000);
  };
}

/** Timer events per second of the workload on the minimal heap, drained as `drain` says. */
export async function minimalHeapEventsPerSecond(
  drain: "microtask" | "engine-rearm",
  tasks: number,
  sleeps: number,
): Promise<number> {
  const heap = new TimerHeap();
  const next = delays(7);
  const start = performance.now();
  const all: Promise<void>[] = [];
  for (let i = 0; i < tasks; i++) {
    all.push(
      (async () => {
        for (let j = 0; j < sleeps; j++) await heap.sleep(next());
      })(),
    );
  }
  let events = 0;
  const settled = Promise.resolve();
  if (drain === "microtask") {
    // After each resolve, one await lets the resumed task run (and queue its next sleep) first.
    while (heap.size > 0) {
      const e = heap.pop() as Entry;
      if (e.at < heap.now) throw new Error("minimal heap: a task queued its sleep after the next pop");
      heap.now = e.at;
      e.resolve();
      events++;
      await settled;
    }
  } else {
    await new Promise<void>((done) => {
      const step = (): void => {
        const e = heap.pop();
        if (e === undefined) {
          done();
          return;
        }
        if (e.at < heap.now) throw new Error("minimal heap: a task queued its sleep after the next pop");
        heap.now = e.at;
        e.resolve();
        events++;
        void settled.then(() => process.nextTick(step));
      };
      void settled.then(() => process.nextTick(step));
    });
  }
  await Promise.all(all);
  if (events !== tasks * sleeps) throw new Error(`minimal heap fired ${events}, expected ${tasks * sleeps}`);
  return events / ((performance.now() - start) / 1000);
}
