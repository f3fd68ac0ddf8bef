import type { Logger } from "../logging/logger.js";

/**
 * Periodic housekeeping tasks (recovery sweeps, syncs, expiries). Each task runs at most once at a time
 * per process. Several instances may run the same task, so tasks must be safe to run concurrently.
 */
export class Maintenance {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly logger: Logger) {}

  every(name: string, intervalMs: number, task: () => Promise<unknown>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.stopped) return;
      busy = true;
      const run = task()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error({ module: "maintenance", task: name, err: error }, "maintenance task failed"))
        .finally(() => {
          busy = false;
          this.running.delete(run);
        });
      this.running.add(run);
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  /** Stop scheduling and wait for tasks that are running. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.allSettled([...this.running]);
  }
}
