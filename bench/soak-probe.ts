/**
 * Preloaded into the service by the soak run (node --expose-gc --import …/soak-probe.js): on
 * SIGUSR2 it collects garbage and writes the memory figures as one JSON line to stderr, so that
 * memory is compared after a full GC rather than at whatever point V8 happened to be.
 */
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  process.stderr.write(`${JSON.stringify({ soakProbe: { ...process.memoryUsage(), gc: gc !== undefined } })}\n`);
});
