import { percentile } from "./stats.js";

export interface LoadOptions {
  /** Requests in flight at any time: each worker sends its next request when the last one returns. */
  concurrency: number;
  /** Length of the measured window, in ms. */
  durationMs: number;
  /** Unmeasured run before the window, so connections, JIT and caches are warm, in ms. */
  warmupMs: number;
  send: () => Promise<unknown>;
}

export interface LoadResult {
  /** Requests completed in the measured window. */
  requests: number;
  /** Requests completed including the warm-up. */
  allRequests: number;
  errors: number;
  firstError: string | undefined;
  /** Completed requests per second within the measured window. */
  throughput: number;
  p50Ms: number;
  p99Ms: number;
}

/** Drive `send` with a fixed number of concurrent workers and measure the requests completed in the window. */
export async function runClosedLoop(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let allRequests = 0;
  let firstError: string | undefined;
  let measuring = false;

  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const stopAt = measureFrom + options.durationMs;

  const worker = async () => {
    while (performance.now() < stopAt) {
      const sentAt = performance.now();
      try {
        await options.send();
        allRequests++;
        if (sentAt >= measureFrom) latencies.push(performance.now() - sentAt);
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
        if (errors > 50) throw new Error(`more than 50 requests failed; first: ${firstError}`);
      }
      measuring ||= sentAt >= measureFrom;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));

  // Requests sent before the window opened are left out, so the count matches the window's length.
  const windowMs = performance.now() - measureFrom;
  return {
    requests: latencies.length,
    allRequests,
    errors,
    firstError,
    throughput: measuring ? (latencies.length * 1000) / windowMs : 0,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}
