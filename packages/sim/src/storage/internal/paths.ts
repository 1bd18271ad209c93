// Argument checks of the simulated storage, matching the real provider's so the same bad input
// fails the same way in production and in simulation.
import { InvalidArgumentError, type OpenOptions } from "@moonpool/core";

/** Throws unless `path` is a plain relative "/"-separated path (or prefix). */
export function checkPath(argument: string, path: string, isPrefix = false): void {
  if (typeof path !== "string" || (path === "" && !isPrefix)) {
    throw new InvalidArgumentError(argument, "expected a non-empty relative path");
  }
  if (path === "") return;
  if (path.includes("\0")) throw new InvalidArgumentError(argument, "contains a NUL byte");
  if (path.startsWith("/") || path.includes("\\") || /^[a-zA-Z]:/.test(path)) {
    throw new InvalidArgumentError(
      argument,
      `expected a relative "/"-separated path, got ${JSON.stringify(path)}`,
    );
  }
  const segments = path.split("/");
  const checked = isPrefix && segments.at(-1) === "" ? segments.slice(0, -1) : segments;
  for (const segment of checked) {
    if (segment === "" || segment === "." || segment === "..") {
      throw new InvalidArgumentError(argument, `${JSON.stringify(path)} has an empty, "." or ".." segment`);
    }
  }
}

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
