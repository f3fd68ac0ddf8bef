import { randomUUID } from "node:crypto";
import type { AppServices } from "../../app/services.js";
import { TenantScope } from "../../db/tenant-scope.js";
import type { Logger } from "../../logging/logger.js";
import { claimNextJob, finishJob, releaseJob, renewLease } from "./job.repository.js";
import type { JobRow } from "./job.tables.js";

export interface JobRuntime {
  scope: TenantScope;
  services: AppServices;
  logger: Logger;
  /** True once the server is shutting down: stop between items and return; the job is resumed later. */
  isStopping(): boolean;
}

/** Handler result: done (with a result), or interrupted by shutdown and to be resumed. */
export type JobOutcome = { status: "SUCCEEDED"; result: Record<string, unknown> } | { status: "INTERRUPTED" };

export type JobHandler = (job: JobRow, runtime: JobRuntime) => Promise<JobOutcome>;

export interface JobRunnerOptions {
  /** How long a claimed job stays ours without a lease renewal, in ms. */
  leaseMs?: number;
  /** Time between polls when idle, in ms. */
  pollIntervalMs?: number;
  /** Jobs one process runs at the same time. */
  concurrency?: number;
  /** Attempts before a job that keeps throwing is marked FAILED. */
  maxAttempts?: number;
}

/**
 * Runs durable jobs from the `jobs` table. Claims are leased, so a job whose process died is picked up
 * again by any instance once the lease runs out. Handlers must therefore be idempotent per item, and the
 * job_items table helps: each item is marked done in the same transaction as its effect.
 */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly running = new Set<Promise<void>>();
  private readonly workerId = `worker-${randomUUID()}`;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private polling = false;

  constructor(
    private readonly services: AppServices,
    options: JobRunnerOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.concurrency = options.concurrency ?? 2;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  start(): void {
    this.schedule(0);
  }

  /** Poll now instead of at the next interval, after a job was enqueued. */
  wake(): void {
    if (!this.stopping) this.schedule(0);
  }

  /** Stop claiming, let running handlers reach a safe point, hand unfinished jobs back to the queue. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.running]);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    if (this.polling || this.stopping) return;
    this.polling = true;
    try {
      while (!this.stopping && this.running.size < this.concurrency) {
        const job = await claimNextJob(this.services.db, this.workerId, [...this.handlers.keys()], this.leaseMs);
        if (!job) break;
        const execution = this.execute(job).finally(() => {
          this.running.delete(execution);
          this.wake();
        });
        this.running.add(execution);
      }
    } catch (error) {
      this.services.logger.error({ module: "jobs", err: error }, "job poll failed");
    } finally {
      this.polling = false;
      if (!this.stopping) this.schedule(this.pollIntervalMs);
    }
  }

  private async execute(job: JobRow): Promise<void> {
    const logger = this.services.logger.child({ module: "jobs", jobId: job.id, kind: job.kind, tenantId: job.tenantId });
    const handler = this.handlers.get(job.kind)!;
    const heartbeat = setInterval(() => {
      void renewLease(this.services.db, job.id, this.workerId, this.leaseMs).catch((error: unknown) =>
        logger.warn({ err: error }, "job lease renewal failed"),
      );
    }, this.leaseMs / 3);
    heartbeat.unref();

    logger.info({ attempt: job.attempts }, "job started");
    try {
      const outcome = await handler(job, {
        scope: new TenantScope(job.tenantId, this.services.db),
        services: this.services,
        logger,
        isStopping: () => this.stopping,
      });
      if (outcome.status === "INTERRUPTED") {
        await releaseJob(this.services.db, job.id, this.workerId, 0);
        logger.info("job interrupted by shutdown; queued for resumption");
        return;
      }
      await finishJob(this.services.db, job.id, this.workerId, { status: "SUCCEEDED", result: outcome.result });
      logger.info({ result: outcome.result }, "job succeeded");
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (job.attempts >= this.maxAttempts) {
        await finishJob(this.services.db, job.id, this.workerId, { status: "FAILED", error: message });
        logger.error({ err: error, attempts: job.attempts }, "job failed for good");
      } else {
        const delayMs = Math.min(60_000, 1_000 * 2 ** job.attempts);
        await releaseJob(this.services.db, job.id, this.workerId, delayMs, message);
        logger.warn({ err: error, attempts: job.attempts, retryInMs: delayMs }, "job failed; will retry");
      }
    } finally {
      clearInterval(heartbeat);
    }
  }
}
