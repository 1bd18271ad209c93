// Argument checks of the simulated storage, matching the real provider's so the same bad input
// fails the same way in production and in simulation.
import { InvalidArgumentError, type OpenOptions } from "@moonpool/core";

/** Access granted by open options. */
export interface Access {
  readonly read: boolean;
  readonly write: boolean;
}

/** Validates open options like the real provider does and returns the access they grant. */
export function checkOpenOptions(options: OpenOptions): Access {
  if (options === null || typeof options !== "object") {
    throw new InvalidArgumentError("options", "expected OpenOptions, e.g. { read: true }");
  }
  const write = options.write === true || options.append === true;
  if (!options.read && !write)
    throw new InvalidArgumentError("options", "open needs read, write or append access");
  if ((options.create || options.createNew || options.truncate) && !write) {
    throw new InvalidArgumentError("options", "create, createNew and truncate need write access");
  }
  return { read: options.read === true, write };
}
