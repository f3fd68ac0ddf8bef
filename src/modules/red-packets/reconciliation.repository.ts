import { and, count, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { TenantScope } from "../../db/tenant-scope.js";
import type { Cursor } from "../../graphql/relay/pagination.js";
import {
  redPacketReconciliationMismatches,
  redPacketReconciliationRuns,
  type RedPacketReconciliationMismatchRow,
  type RedPacketReconciliationRunRow,
} from "./red-packet.tables.js";

const runs = redPacketReconciliationRuns;
const mismatches = redPacketReconciliationMismatches;

/** Create the run of a job on its first attempt, or return the run when the job is retried. */
export async function startRun(scope: TenantScope, jobId: string, now: Date): Promise<RedPacketReconciliationRunRow> {
  await scope.db.insert(runs).values(scope.row({ jobId, startedAt: now })).onConflictDoNothing({ target: runs.jobId });
  const [row] = await scope.db.select().from(runs).where(scope.where(runs, eq(runs.jobId, jobId)));
  return row!;
}

export async function finishRun(
  scope: TenantScope,
  id: string,
  totals: { checkedGrants: number; updatedGrants: number; mismatches: number; finishedAt: Date },
): Promise<void> {
  await scope.db.update(runs).set(totals).where(scope.where(runs, eq(runs.id, id)));
}

export type MismatchValues = Omit<typeof mismatches.$inferInsert, "tenantId" | "id" | "createdAt">;

/** Returns false when the run already recorded this mismatch of the grant (a retried job). */
export async function insertMismatch(scope: TenantScope, values: MismatchValues): Promise<boolean> {
  const inserted = await scope.db
    .insert(mismatches)
    .values(scope.row(values))
    .onConflictDoNothing({ target: [mismatches.runId, mismatches.grantId, mismatches.kind] })
    .returning({ id: mismatches.id });
  return inserted.length > 0;
}

export async function listRuns(scope: TenantScope, limit: number): Promise<RedPacketReconciliationRunRow[]> {
  return scope.db.select().from(runs).where(scope.where(runs)).orderBy(desc(runs.startedAt), desc(runs.id)).limit(limit);
}

export interface MismatchQuery {
  runId?: string | null;
  redPacketId?: string | null;
}

function filterConditions(query: MismatchQuery): (SQL | undefined)[] {
  return [
    query.runId ? eq(mismatches.runId, query.runId) : undefined,
    query.redPacketId ? eq(mismatches.redPacketId, query.redPacketId) : undefined,
  ];
}

/** One page, newest first; `limit` should be the page size plus one. */
export async function listMismatches(
  scope: TenantScope,
  query: MismatchQuery,
  after: Cursor | undefined,
  limit: number,
): Promise<RedPacketReconciliationMismatchRow[]> {
  const afterCondition = after
    ? or(lt(mismatches.createdAt, new Date(after.key)), and(eq(mismatches.createdAt, new Date(after.key)), lt(mismatches.id, after.id)))
    : undefined;
  return scope.db
    .select()
    .from(mismatches)
    .where(scope.where(mismatches, ...filterConditions(query), afterCondition))
    .orderBy(desc(mismatches.createdAt), desc(mismatches.id))
    .limit(limit);
}

export async function countMismatches(scope: TenantScope, query: MismatchQuery): Promise<number> {
  const [row] = await scope.db
    .select({ total: count() })
    .from(mismatches)
    .where(scope.where(mismatches, ...filterConditions(query)));
  return row?.total ?? 0;
}
