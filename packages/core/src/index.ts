/**
 * @moonpool/core: the provider interfaces every layer is written against, the core types of
 * the transport (UID, NetworkAddress, Endpoint) and shared errors.
 *
 * Real Node implementations live in `@moonpool/core/node`; the conformance suite that every
 * implementation must pass lives in `@moonpool/core/testing`.
 */
export { Endpoint } from "./Endpoint.ts";
export {
  hasErrorCode,
  InvalidArgumentError,
  NetworkError,
  type NetworkErrorCode,
  StorageError,
  type StorageErrorCode,
  TaskCancelledError,
  TimeoutError,
} from "./errors.ts";
export type { Connection, Listener, NetworkProvider } from "./Network.ts";
export { NetworkAddress, splitHostPort } from "./NetworkAddress.ts";
export type { Providers } from "./Providers.ts";
export type { RandomProvider } from "./Random.ts";
export { OpenOptions, type StorageFile, type StorageProvider } from "./Storage.ts";
export { AsyncQueue, Deque, Mutex, Notify } from "./sync/index.ts";
export { type Handoff, plainHandoff, type TaskHandle, type TaskProvider } from "./Task.ts";
export type { TimeProvider } from "./Time.ts";
export { UID, WELL_KNOWN_RESERVED_COUNT, WellKnownToken } from "./UID.ts";
export { checkCount, checkDuration, checkIntRange, checkProbability, checkStoragePath } from "./validate.ts";
