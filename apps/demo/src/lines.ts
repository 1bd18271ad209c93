import type { Connection } from "@moonpool/core";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Reads `\n`-terminated UTF-8 lines from a connection (TCP delivers arbitrary chunks). */
export class LineReader {
  readonly #conn: Connection;
  #buffered = "";

  constructor(conn: Connection) {
    this.#conn = conn;
  }

  /** The next line without its `\n`, or `null` at end of stream. */
  async next(): Promise<string | null> {
    for (;;) {
      const end = this.#buffered.indexOf("\n");
      if (end >= 0) {
        const line = this.#buffered.slice(0, end);
        this.#buffered = this.#buffered.slice(end + 1);
        return line;
      }
      const chunk = await this.#conn.read();
      if (chunk === null) return null;
      this.#buffered += decoder.decode(chunk, { stream: true });
    }
  }
}

/** Writes `text` followed by `\n`. */
export function writeLine(conn: Connection, text: string): Promise<void> {
  return conn.write(encoder.encode(`${text}\n`));
}
