import { and, asc, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/database.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import { jobItems, jobs, type JobItemRow, type JobRow } from "./job.tables.js";

/**
 * Insert a job unless one with the same kind and idempotency key exists; either way return the job and
 * whether this call created it.
 */
export async function insertJobOnce(
  scope: TenantScope,
  values: { kind: string; idempotencyKey: string; payload: Record<string, unknown>; totalItems: number },
): Promise<{ job: JobRow; created: boolean }> {
  const [inserted] = await scope.db.insert(jobs).values(scope.row(values)).onConflictDoNothing().returning();
  if (inserted) return { job: inserted, created: true };

  const [existing] = await scope.db
    .select()
    .from(jobs)
    .where(scope.where(jobs, eq(jobs.kind, values.kind), eq(jobs.idempotencyKey, values.idempotencyKey)));
  return { job: existing!, created: false };
}

export async function insertJobItems(scope: TenantScope, jobId: string, inputs: Record<string, unknown>[]): Promise<void> {
  // Batches keep each statement's parameter count far below PostgreSQL's 65,535 limit.
  const BATCH = 1000;
  for (let start = 0; start < inputs.length; start += BATCH) {
    const rows = inputs.slice(start, start + BATCH).map((input, offset) => scope.row({ jobId, position: start + offset, input }));
    await scope.db.insert(jobItems).values(rows).onConflictDoNothing();
  }
}

/**
 * Claim the oldest runnable job for this worker: a queued job that is due, or a running job whose lease
 * ran out because its worker died. SKIP LOCKED lets several workers claim different jobs at once.
 */
export async function claimNextJob(db: Database, workerId: string, kinds: string[], leaseMs: number): Promise<JobRow | undefined> {
  if (kinds.length === 0) return undefined;
  const rows = await db.execute(sql`
    update ${jobs} set
      status = 'RUNNING',
      locked_by = ${workerId},
      locked_until = now() + (${leaseMs} * interval '1 millisecond'),
      attempts = ${jobs.attempts} + 1,
      started_at = coalesce(${jobs.startedAt}, now()),
      updated_at = now()
    where ${jobs.id} = (
      select id from ${jobs}
      where kind in (${sql.join(kinds.map((kind) => sql`${kind}`), sql`, `)})
        and ((status = 'QUEUED' and run_after <= now()) or (status = 'RUNNING' and locked_until < now()))
      order by run_after
      limit 1
      for update skip locked
    )
    returning id`);
  const list = (Array.isArray(rows) ? rows : (rows as unknown as { rows: { id: string }[] }).rows) as { id: string }[];
  const id = list[0]?.id;
  if (!id) return undefined;
  const [job] = await db.select().from(jobs).where(eq(jobs.id, id));
  return job;
}

/** Extend the lease; returns false when another worker has taken the job over. */
export async function renewLease(db: Database, jobId: string, workerId: string, leaseMs: number): Promise<boolean> {
  const renewed = await db
    .update(jobs)
    .set({ lockedUntil: sql`now() + (${leaseMs} * interval '1 millisecond')`, updatedAt: new Date() })
    .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, workerId), eq(jobs.status, "RUNNING")))
    .returning({ id: jobs.id });
  return renewed.length > 0;
}

export async function finishJob(
  db: Executor,
  jobId: string,
  workerId: string,
  outcome: { status: "SUCCEEDED" | "FAILED"; result?: Record<string, unknown>; error?: string },
): Promise<void> {
  await db
    .update(jobs)
    .set({
      status: outcome.status,
      result: outcome.result ?? null,
      lastError: outcome.error ?? null,
      lockedBy: null,
      lockedUntil: null,
      finishedAt: new Date(),
      updatedAt: new Date(),
    })
    .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, workerId)));
}

/** Hand a job back to the queue, for a shutdown or a retry after `delayMs`. */
export async function releaseJob(db: Database, jobId: string, workerId: string, delayMs: number, error?: string): Promise<void> {
  await db
    .update(jobs)
    .set({
      status: "QUEUED",
      lockedBy: null,
      lockedUntil: null,
      runAfter: sql`now() + (${delayMs} * interval '1 millisecond')`,
      lastError: error ?? null,
      updatedAt: new Date(),
    })
    .where(and(eq(jobs.id, jobId), eq(jobs.lockedBy, workerId)));
}

export async function pendingJobItems(db: Executor, jobId: string, limit: number): Promise<JobItemRow[]> {
  return db
    .select()
    .from(jobItems)
    .where(and(eq(jobItems.jobId, jobId), eq(jobItems.status, "PENDING")))
    .orderBy(asc(jobItems.position))
    .limit(limit);
}

export async function completeJobItem(
  db: Executor,
  jobId: string,
  position: number,
  outcome: string,
  detail: Record<string, unknown>,
): Promise<void> {
  const done = await db
    .update(jobItems)
    .set({ status: "DONE", outcome, detail, updatedAt: new Date() })
    .where(and(eq(jobItems.jobId, jobId), eq(jobItems.position, position), eq(jobItems.status, "PENDING")))
    .returning({ position: jobItems.position });
  if (done.length > 0) {
    await db.update(jobs).set({ processedItems: sql`${jobs.processedItems} + 1`, updatedAt: new Date() }).where(eq(jobs.id, jobId));
  }
}

export async function countItemOutcomes(db: Executor, jobId: string): Promise<Record<string, number>> {
  const rows = await db
    .select({ outcome: jobItems.outcome, total: sql<number>`count(*)`.mapWith(Number) })
    .from(jobItems)
    .where(and(eq(jobItems.jobId, jobId), eq(jobItems.status, "DONE")))
    .groupBy(jobItems.outcome);
  return Object.fromEntries(rows.map((row) => [row.outcome ?? "UNKNOWN", row.total]));
}

export async function findJob(scope: TenantScope, id: string): Promise<JobRow | undefined> {
  const [row] = await scope.db.select().from(jobs).where(scope.where(jobs, eq(jobs.id, id)));
  return row;
}

/** Items of a job after `afterPosition`, optionally with one outcome; `limit` should be page size plus one. */
export async function listJobItems(
  db: Executor,
  jobId: string,
  outcome: string | null | undefined,
  afterPosition: number,
  limit: number,
): Promise<JobItemRow[]> {
  return db
    .select()
    .from(jobItems)
    .where(and(eq(jobItems.jobId, jobId), sql`${jobItems.position} > ${afterPosition}`, outcome ? eq(jobItems.outcome, outcome) : undefined))
    .orderBy(asc(jobItems.position))
    .limit(limit);
}

export async function countJobItems(db: Executor, jobId: string, outcome: string | null | undefined): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`count(*)`.mapWith(Number) })
    .from(jobItems)
    .where(and(eq(jobItems.jobId, jobId), outcome ? eq(jobItems.outcome, outcome) : undefined));
  return row?.total ?? 0;
}
