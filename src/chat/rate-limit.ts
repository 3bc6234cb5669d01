/**
 * Per-key token buckets: `perMinute` questions a minute, with bursts up to the same number.
 * In memory, per process: several replicas each allow the limit (see docs/scaling.md).
 */
export interface RateLimiter {
  /** Takes one token for `key`; false (and no token taken) when the bucket is empty. */
  take(key: string): boolean;
  /** Seconds until `key` has a token again. */
  retryAfterSeconds(key: string): number;
}

export function createRateLimiter(perMinute: number, now: () => number = Date.now, maxKeys = 50_000): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const ratePerMs = perMinute / 60_000;

  const refill = (key: string) => {
    const t = now();
    const b = buckets.get(key) ?? { tokens: perMinute, at: t };
    b.tokens = Math.min(perMinute, b.tokens + (t - b.at) * ratePerMs);
    b.at = t;
    if (!buckets.has(key)) {
      // Full buckets carry no information; drop the oldest keys rather than grow without bound.
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
      buckets.set(key, b);
    }
    return b;
  };

  return {
    take(key) {
      const b = refill(key);
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
    retryAfterSeconds(key) {
      const b = refill(key);
      return b.tokens >= 1 ? 0 : Math.ceil((1 - b.tokens) / ratePerMs / 1000);
    },
  };
}
