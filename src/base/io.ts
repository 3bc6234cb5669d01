/** Where a CLI command writes: its result lines, and its problems. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** A progress line that replaces the previous one (a terminal's progress bar); absent where nobody watches. */
  progress?(line: string): void;
}

/** Why a file could not be read, in words, with the system's code: never a raw error or stack. */
export function unreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  const why: Record<string, string> = {
    ELOOP: 'symbolic link loop',
    EISDIR: 'it is a folder',
    ENOENT: 'it does not exist (a broken symbolic link?)',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EIO: 'I/O error',
  };
  return `${why[code] ?? 'unreadable'} (${code})`;
}
