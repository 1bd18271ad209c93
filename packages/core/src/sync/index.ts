export { AsyncQueue } from "./AsyncQueue.ts";
export { Deque } from "./Deque.ts";
export { Mutex } from "./Mutex.ts";
export { Notify } from "./Notify.ts";
