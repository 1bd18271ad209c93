export {
  type CheckOptions,
  type CheckResult,
  checkLinearizable,
  type LinearizabilityFailure,
  type Verdict,
} from "./check.ts";
export { type HistoryEvent, type Operation, operationsFromEvents } from "./history.ts";
export {
  type CasRegisterInput,
  casRegisterModel,
  type KvInput,
  type KvOutput,
  kvModel,
  type Model,
  partitionBy,
  type RegisterInput,
  registerModel,
} from "./model.ts";
