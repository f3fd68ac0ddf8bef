export interface RetryPolicy {
  /** Attempts in total, the first included; 1 turns retries off. */
  maxAttempts: number;
  /** Delay before the first retry; each later retry doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5000 };

/**
 * Delay before retry number `retry` (1 for the first retry): exponential growth capped at `maxDelayMs`,
 * of which a random half is dropped ("equal jitter") so that clients retrying together spread out.
 */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
