import type { AppPubSub } from "./pubsub.js";

/** Payload of JOB_PROGRESS for one job. */
export interface JobProgressPayload {
  tenantId: string;
  /** Row id of the job. */
  jobId: string;
  processed: number;
  total: number;
  /** The job's status, such as RUNNING or SUCCEEDED. */
  status: string;
}

/**
 * Publish a job's progress to `jobProgress` subscribers. Call it after the transaction that stored the
 * progress has committed, and not for every item: once a second or every few hundred items is plenty.
 */
export function publishJobProgress(services: { pubsub: AppPubSub }, progress: JobProgressPayload): void {
  services.pubsub.publish("JOB_PROGRESS", progress.jobId, progress);
}
