/** Where a CLI command writes: its result lines, and its problems. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}
