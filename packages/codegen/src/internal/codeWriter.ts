// The indented line buffer the check, fast-check and encoder writers emit statements into.

export class CodeWriter {
  readonly lines: string[] = [];
  #indent = 1;
  #n: number;

  /** `firstTemp` numbers the writer's temporaries, so nested writers can keep theirs distinct. */
  constructor(firstTemp = 0) {
    this.#n = firstTemp;
  }

  /** The next temporary index, for a nested writer that must not reuse this one's names. */
  get nextTemp(): number {
    return this.#n;
  }

  /** A fresh variable name. */
  tmp(prefix: string): string {
    return `${prefix}${this.#n++}`;
  }

  line(s: string): void {
    this.lines.push(`${"  ".repeat(this.#indent)}${s}`);
  }

  open(s: string): void {
    this.line(s);
    this.#indent++;
  }

  close(s = "}"): void {
    this.#indent--;
    this.line(s);
  }

  /** Ends an indented block without a closing line (a `case` or `default:` body). */
  outdent(): void {
    this.#indent--;
  }

  /** Closes a block and opens the next one on the same line (`} else {`). */
  reopen(s: string): void {
    this.#indent--;
    this.open(s);
  }

  /** Inserts `s` at `depth` levels above the current indent, `back` lines before the end. */
  insert(back: number, depth: number, s: string): void {
    this.lines.splice(this.lines.length - back, 0, `${"  ".repeat(this.#indent - depth)}${s}`);
  }
}
