// Calling a process group's factory: each boot gets a new instance, and the first boot's instance
// also names the group. The factory runs inside the seed, so a factory that throws (or returns
// something that is not a Process) fails that seed like any other bug, with its report row.
import { InvalidArgumentError } from "@moonpool/core";
import type { Process } from "../types.ts";
import { toError, withContext } from "./errors.ts";

/** A new instance from `factory` for a boot of group `group` (1-based, in `.processes()` order). */
export function newProcessInstance(factory: () => Process, group: number, boot: string): Process {
  let instance: Process;
  try {
    instance = factory();
  } catch (thrown) {
    throw withContext(
      toError(thrown, `processes(factory) of group ${group}`),
      `the process factory of group ${group} threw on ${boot}`,
    );
  }
  if (
    instance === null ||
    typeof instance !== "object" ||
    typeof instance.name !== "string" ||
    instance.name === "" ||
    typeof instance.run !== "function"
  ) {
    throw new InvalidArgumentError(
      "processes(factory)",
      `the factory of group ${group} must return a Process ({ name, run(ctx) }), got ${String(instance)} on ${boot}`,
    );
  }
  return instance;
}
