import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Executor } from "../../db/database.js";
import { jobItems, type JobItemRow } from "../jobs/job.tables.js";

export const RED_PACKET_SEND_JOB = "red-packet-send";

/** Pending items after `afterPosition`, in list order; items whose payout is in flight stay pending. */
export async function pendingItemsAfter(db: Executor, jobId: string, afterPosition: number, limit: number): Promise<JobItemRow[]> {
  return db
    .select()
    .from(jobItems)
    .where(and(eq(jobItems.jobId, jobId), eq(jobItems.status, "PENDING"), gt(jobItems.position, afterPosition)))
    .orderBy(asc(jobItems.position))
    .limit(limit);
}

/** Items done per outcome, and those still pending. */
export async function countSendOutcomes(db: Executor, jobId: string): Promise<Record<string, number>> {
  const rows = await db
    .select({
      outcome: sql<string>`case when ${jobItems.status} = 'PENDING' then 'PENDING' else coalesce(${jobItems.outcome}, 'UNKNOWN') end`,
      total: sql<number>`count(*)`.mapWith(Number),
    })
    .from(jobItems)
    .where(eq(jobItems.jobId, jobId))
    .groupBy(sql`1`);
  return Object.fromEntries(rows.map((row) => [row.outcome, row.total]));
}
