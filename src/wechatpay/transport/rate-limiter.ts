import { performance } from "node:perf_hooks";

export interface RateLimit {
  /** Requests allowed per interval. */
  limit: number;
  intervalMs: number;
  /** Requests that may go out at once after a quiet period; defaults to one second's share of the limit. */
  burst?: number;
}

/** Thrown when the caller's signal ends the wait for a token; nothing was sent. */
export class RateLimitWaitAbortedError extends Error {
  override readonly name = "RateLimitWaitAbortedError";
}

/** A token bucket: `limit` tokens per `intervalMs`, refilled continuously, holding at most `burst`. */
export class TokenBucket {
  private readonly capacity: number;
  private readonly tokensPerMs: number;
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    limit: RateLimit,
    private readonly clock: () => number = () => performance.now(),
  ) {
    if (!(limit.limit > 0) || !(limit.intervalMs > 0)) {
      throw new RangeError(`rate limit must be positive, got ${limit.limit} per ${limit.intervalMs} ms`);
    }
    this.tokensPerMs = limit.limit / limit.intervalMs;
    this.capacity = Math.max(1, limit.burst ?? Math.min(limit.limit, Math.ceil(this.tokensPerMs * 1000)));
    this.tokens = this.capacity;
    this.updatedAt = this.clock();
  }

  /**
   * Waits until a token is available and takes it; callers are served in arrival order. An abort
   * rejects at once, even while other callers are still ahead in the queue, and takes no token.
   */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.takeToken(signal));
    this.queue = turn.catch(() => undefined);
    return signal === undefined ? turn : rejectOnAbort(turn, signal);
  }

  private async takeToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw new RateLimitWaitAbortedError("gave up waiting for the local rate limiter");

      const now = this.clock();
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.tokensPerMs);
      this.updatedAt = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }

      await delay(Math.ceil((1 - this.tokens) / this.tokensPerMs), signal);
    }
  }
}

function rejectOnAbort(turn: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new RateLimitWaitAbortedError("gave up waiting for the local rate limiter"));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    turn.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Resolves after `ms`, or rejects early when `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new RateLimitWaitAbortedError("aborted"));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new RateLimitWaitAbortedError("aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The operation groups the client limits, with WeChat Pay's documented per-merchant rates as defaults. */
export type RateLimitedOperation = "voucherSend" | "redPacketSend" | "transferCreate";

export const DEFAULT_RATE_LIMITS: Readonly<Record<RateLimitedOperation, RateLimit>> = {
  voucherSend: { limit: 500, intervalMs: 1000 },
  redPacketSend: { limit: 1800, intervalMs: 60_000 },
  transferCreate: { limit: 100, intervalMs: 1000 },
};

const sharedBuckets = new Map<string, TokenBucket>();

/**
 * Returns the bucket for one merchant and operation group. Clients created for the same merchant with
 * the same limit share it, because WeChat Pay counts requests per merchant, not per client object.
 */
export function merchantRateLimiter(mchid: string, operation: RateLimitedOperation, limit: RateLimit): TokenBucket {
  const key = `${mchid}|${operation}|${limit.limit}/${limit.intervalMs}/${limit.burst ?? ""}`;
  let bucket = sharedBuckets.get(key);
  if (bucket === undefined) {
    bucket = new TokenBucket(limit);
    sharedBuckets.set(key, bucket);
  }
  return bucket;
}
