// The engine's event queue: a binary min-heap ordered by (virtual time in integer ns, sequence).
// Cancelled events leave the queue lazily; the heap is compacted when they outnumber live ones,
// so `size` is always exact and memory stays bounded.

/** One scheduled engine event. */
export class QueuedEvent {
  readonly timeNs: number;
  readonly seq: number;
  readonly label: string;
  fn: (() => void) | null;
  cancelled = false;
  /** Who scheduled it (the engine skips events of killed tasks). */
  owner: unknown = null;
  /** When `guard.dead` is true at pop time, the event is dropped without advancing time. */
  guard: { readonly dead: boolean } | null = null;
  /** A waker to wake instead of calling `fn` (sleeps: no closure per event). */
  waker: { wake(value: undefined): void } | null = null;
  /** Back-reference used by `cancel()`; null once popped. */
  queue: EventQueue | null;
  /** Set while the event is an unref'd timer's: the count it is part of (see `unref`). */
  unrefs: { n: number } | null = null;

  constructor(queue: EventQueue, timeNs: number, seq: number, label: string, fn: () => void) {
    this.queue = queue;
    this.timeNs = timeNs;
    this.seq = seq;
    this.label = label;
    this.fn = fn;
  }

  /** Counts this queued event in `count`: it no longer keeps the seed alive (Node's `unref`). */
  unref(count: UnrefCount): void {
    if (this.unrefs !== null || this.queue === null || this.cancelled) return;
    this.unrefs = count;
    count.n += 1;
  }

  /** Undoes `unref` (also when the event is popped or cancelled). */
  ref(): void {
    if (this.unrefs === null) return;
    this.unrefs.n -= 1;
    this.unrefs = null;
  }

  /** Removes the event from its queue (a no-op once popped or cancelled). */
  cancel(): void {
    if (this.cancelled || this.queue === null) return;
    this.cancelled = true;
    this.fn = null;
    this.ref();
    this.queue.noteCancelled();
  }
}

/** Unref'd timer events still queued, counted so the engine can tell they are all that is left. */
export interface UnrefCount {
  n: number;
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.timeNs < b.timeNs || (a.timeNs === b.timeNs && a.seq < b.seq);
}

/** Min-heap of events keyed by (timeNs, seq). */
export class EventQueue {
  private heap: QueuedEvent[] = [];
  private seq = 0;
  private cancelledInHeap = 0;

  /** Number of live (not cancelled) events. */
  get size(): number {
    return this.heap.length - this.cancelledInHeap;
  }

  /** The sequence number the next pushed event gets (every queued event has a smaller one). */
  get nextSeq(): number {
    return this.seq;
  }

  /** Schedules `fn` at absolute time `timeNs`. */
  push(timeNs: number, label: string, fn: () => void): QueuedEvent {
    const ev = new QueuedEvent(this, timeNs, this.seq++, label, fn);
    const h = this.heap;
    let i = h.length;
    h.push(ev);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as QueuedEvent;
      if (!before(ev, p)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = ev;
    return ev;
  }

  /** The earliest live event without removing it, or undefined. */
  peek(): QueuedEvent | undefined {
    this.dropCancelledTop();
    return this.heap[0];
  }

  /** Removes and returns the earliest live event, or undefined when empty. */
  pop(): QueuedEvent | undefined {
    this.dropCancelledTop();
    const top = this.heap[0];
    if (top === undefined) return undefined;
    this.removeTop();
    top.queue = null;
    if (top.unrefs !== null) top.ref();
    return top;
  }

  /** Drops every event (end of seed). */
  clear(): void {
    for (const ev of this.heap) {
      ev.queue = null;
      ev.fn = null;
    }
    this.heap = [];
    this.cancelledInHeap = 0;
  }

  /** Called by `QueuedEvent.cancel`. */
  noteCancelled(): void {
    this.cancelledInHeap++;
    if (this.cancelledInHeap > 64 && this.cancelledInHeap * 2 > this.heap.length) this.compact();
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && (this.heap[0] as QueuedEvent).cancelled) {
      const top = this.heap[0] as QueuedEvent;
      top.queue = null;
      this.removeTop();
      this.cancelledInHeap--;
    }
  }

  private removeTop(): void {
    const h = this.heap;
    const last = h.pop() as QueuedEvent;
    if (h.length === 0) return;
    this.siftDown(0, last);
  }

  private siftDown(start: number, ev: QueuedEvent): void {
    const h = this.heap;
    const n = h.length;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && before(h[right] as QueuedEvent, h[child] as QueuedEvent)) child = right;
      const c = h[child] as QueuedEvent;
      if (!before(c, ev)) break;
      h[i] = c;
      i = child;
    }
    h[i] = ev;
  }

  private compact(): void {
    const live: QueuedEvent[] = [];
    for (const ev of this.heap) {
      if (ev.cancelled) ev.queue = null;
      else live.push(ev);
    }
    this.heap = live;
    this.cancelledInHeap = 0;
    for (let i = (live.length >> 1) - 1; i >= 0; i--) this.siftDown(i, live[i] as QueuedEvent);
  }
}
