import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * botframework-connector writes every token it refuses to console.error itself: the signing keys
 * it holds, and for an expired token the error's whole stack. The adapter logs each refusal once,
 * in one line; while a token is checked, the library's own console lines are dropped. Scoped to
 * the check's async context, so that nothing else anyone prints is lost.
 */
const checking = new AsyncLocalStorage<true>();
let underlying: typeof console.error = console.error;

function quiet(...args: unknown[]): void {
  if (checking.getStore()) return;
  underlying.apply(console, args);
}

/** Runs a token check with the library's console lines dropped. */
export function withoutLibraryConsole<T>(check: () => Promise<T>): Promise<T> {
  if (console.error !== quiet) {
    underlying = console.error;
    console.error = quiet;
  }
  return checking.run(true, check);
}
