import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * botframework-connector writes every token it refuses to console.error itself: the signing keys
 * it holds, and for an expired token the error's whole stack. The adapter logs each refusal once,
 * in one line; while a token is checked, the library's own console lines are dropped. Scoped to
 * the check's async context, so that nothing else anyone prints is lost.
 */
const checking = new AsyncLocalStorage<true>();
const filters = new WeakSet<typeof console.error>();

/**
 * Puts a filter in front of whatever console.error is now, unless a filter already is. Each
 * filter holds the function it wraps for good: if something else replaces console.error between
 * checks (a test's spy, a monitoring agent) and later restores it, no filter ends up calling
 * itself through a wrapper of its own.
 */
function installFilter(): void {
  if (filters.has(console.error)) return;
  const underlying = console.error;
  const filter = (...args: unknown[]): void => {
    if (checking.getStore()) return;
    underlying.apply(console, args);
  };
  filters.add(filter);
  console.error = filter;
}

/** Runs a token check with the library's console lines dropped. */
export function withoutLibraryConsole<T>(check: () => Promise<T>): Promise<T> {
  installFilter();
  return checking.run(true, check);
}
