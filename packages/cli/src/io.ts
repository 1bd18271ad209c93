/** Where the CLI reads and writes (injectable for tests). */
export interface CliIO {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** stderr is a terminal (live progress lines). */
  readonly isTTY?: boolean;
  /** Environment variables (JOB_COMPLETION_INDEX, ...); default: none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Width of the stderr terminal, when it is one. */
  readonly columns?: number;
  /** Calls `handler` on Ctrl-C (SIGINT) until the returned function removes it. */
  readonly onInterrupt?: (handler: () => void) => () => void;
}

/** The real process streams. */
export function processIO(): CliIO {
  return {
    cwd: process.cwd(),
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    isTTY: process.stderr.isTTY === true,
    env: process.env,
    ...(process.stderr.columns ? { columns: process.stderr.columns } : {}),
    onInterrupt: (handler) => {
      process.on("SIGINT", handler);
      return () => void process.off("SIGINT", handler);
    },
  };
}
