import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/database.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import type { Cursor } from "../../graphql/relay/pagination.js";
import { redPacketGrants, type GrantStatus, type RedPacketGrantRow } from "./red-packet.tables.js";

const grants = redPacketGrants;

export type GrantValues = Omit<typeof grants.$inferInsert, "tenantId" | "id" | "billSerial">;

export interface GrantQuery {
  redPacketId?: string | null;
  jobId?: string | null;
  status?: GrantStatus[] | null;
  openid?: string | null;
}

export async function findGrantById(scope: TenantScope, id: string): Promise<RedPacketGrantRow | undefined> {
  const [row] = await scope.db.select().from(grants).where(scope.where(grants, eq(grants.id, id)));
  return row;
}

export async function findGrantByKey(scope: TenantScope, redPacketId: string, idempotencyKey: string): Promise<RedPacketGrantRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(grants)
    .where(scope.where(grants, eq(grants.redPacketId, redPacketId), eq(grants.idempotencyKey, idempotencyKey)));
  return row;
}

export async function findGrantByRequestNo(scope: TenantScope, merchantAccountId: string, requestNo: string): Promise<RedPacketGrantRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(grants)
    .where(scope.where(grants, eq(grants.merchantAccountId, merchantAccountId), eq(grants.requestNo, requestNo)));
  return row;
}

/** Read the grant and lock it until the transaction ends, so its status changes one step at a time. */
export async function lockGrant(scope: TenantScope, id: string): Promise<RedPacketGrantRow | undefined> {
  const [row] = await scope.db.select().from(grants).where(scope.where(grants, eq(grants.id, id))).for("update");
  return row;
}

/** Insert a grant unless its idempotency key is taken; returns undefined when it was. */
export async function insertGrant(scope: TenantScope, values: GrantValues): Promise<RedPacketGrantRow | undefined> {
  const [row] = await scope.db
    .insert(grants)
    .values(scope.row(values))
    .onConflictDoNothing({ target: [grants.tenantId, grants.redPacketId, grants.idempotencyKey] })
    .returning();
  return row;
}

export async function updateGrant(
  scope: TenantScope,
  id: string,
  changes: Partial<GrantValues>,
): Promise<RedPacketGrantRow> {
  const [row] = await scope.db
    .update(grants)
    .set({ ...changes, updatedAt: new Date() })
    .where(scope.where(grants, eq(grants.id, id)))
    .returning();
  return row!;
}

/** Store the request number and body of a new grant and take its lease for `leaseMs` (database time). */
export async function assignRequest(
  scope: TenantScope,
  id: string,
  input: { requestNo: string; request: Record<string, unknown>; leaseMs: number },
): Promise<RedPacketGrantRow> {
  const [row] = await scope.db
    .update(grants)
    .set({
      requestNo: input.requestNo,
      request: input.request,
      leaseUntil: sql`now() + (${input.leaseMs} * interval '1 millisecond')`,
      updatedAt: new Date(),
    })
    .where(scope.where(grants, eq(grants.id, id)))
    .returning();
  return row!;
}

/**
 * Take the lease on a reserved grant for `leaseMs` (database time), unless another worker holds it.
 * `ignoreSchedule` also takes a grant whose next attempt is not due yet (an operator's retry).
 */
export async function claimGrantLease(
  scope: TenantScope,
  id: string,
  leaseMs: number,
  ignoreSchedule = false,
): Promise<RedPacketGrantRow | undefined> {
  const [row] = await scope.db
    .update(grants)
    .set({ leaseUntil: sql`now() + (${leaseMs} * interval '1 millisecond')`, updatedAt: new Date() })
    .where(
      scope.where(
        grants,
        eq(grants.id, id),
        eq(grants.status, "RESERVED"),
        or(isNull(grants.leaseUntil), lt(grants.leaseUntil, sql`now()`)),
        ignoreSchedule ? undefined : or(isNull(grants.nextAttemptAt), lte(grants.nextAttemptAt, sql`now()`)),
      ),
    )
    .returning();
  return row;
}

/** Give the grant back until `delayMs` from now (database time), keeping the last error for operators. */
export async function postponeGrant(
  scope: TenantScope,
  id: string,
  delayMs: number,
  lastError: { code: string; message: string } | undefined,
): Promise<RedPacketGrantRow | undefined> {
  const [row] = await scope.db
    .update(grants)
    .set({
      leaseUntil: null,
      nextAttemptAt: sql`now() + (${delayMs} * interval '1 millisecond')`,
      ...(lastError ? { failureCode: lastError.code, failureMessage: lastError.message } : {}),
      updatedAt: new Date(),
    })
    .where(scope.where(grants, eq(grants.id, id), eq(grants.status, "RESERVED")))
    .returning();
  return row;
}

export async function countAttempt(scope: TenantScope, id: string): Promise<void> {
  await scope.db
    .update(grants)
    .set({ attempts: sql`${grants.attempts} + 1`, updatedAt: new Date() })
    .where(scope.where(grants, eq(grants.id, id)));
}

/** Reserved grants of every tenant whose lease ran out and whose next attempt is due, oldest first. */
export async function findDueGrants(db: Database, limit: number): Promise<RedPacketGrantRow[]> {
  return db
    .select()
    .from(grants)
    .where(
      and(
        eq(grants.status, "RESERVED"),
        or(isNull(grants.leaseUntil), lt(grants.leaseUntil, sql`now()`)),
        or(isNull(grants.nextAttemptAt), lte(grants.nextAttemptAt, sql`now()`)),
      ),
    )
    .orderBy(asc(grants.nextAttemptAt), asc(grants.createdAt))
    .limit(limit);
}

function filterConditions(query: GrantQuery): (SQL | undefined)[] {
  return [
    query.redPacketId ? eq(grants.redPacketId, query.redPacketId) : undefined,
    query.jobId ? eq(grants.jobId, query.jobId) : undefined,
    query.status?.length ? inArray(grants.status, query.status) : undefined,
    query.openid ? eq(grants.openid, query.openid) : undefined,
  ];
}

/** One page, newest first; `limit` should be the page size plus one. */
export async function listGrants(scope: TenantScope, query: GrantQuery, after: Cursor | undefined, limit: number): Promise<RedPacketGrantRow[]> {
  const afterCondition = after
    ? or(lt(grants.createdAt, new Date(after.key)), and(eq(grants.createdAt, new Date(after.key)), lt(grants.id, after.id)))
    : undefined;
  return scope.db
    .select()
    .from(grants)
    .where(scope.where(grants, ...filterConditions(query), afterCondition))
    .orderBy(desc(grants.createdAt), desc(grants.id))
    .limit(limit);
}

export async function countGrants(scope: TenantScope, query: GrantQuery): Promise<number> {
  const [row] = await scope.db
    .select({ total: count() })
    .from(grants)
    .where(scope.where(grants, ...filterConditions(query)));
  return row?.total ?? 0;
}

/** Merchant transfers of one customer that wait for confirmation and were issued after `since`. */
export async function findTransfersAwaitingConfirmation(
  scope: TenantScope,
  customer: { appid: string; openid: string },
  since: Date,
): Promise<RedPacketGrantRow[]> {
  return scope.db
    .select()
    .from(grants)
    .where(
      scope.where(
        grants,
        eq(grants.appid, customer.appid),
        eq(grants.openid, customer.openid),
        eq(grants.status, "ISSUED"),
        eq(grants.channel, "MERCHANT_TRANSFER"),
        isNotNull(grants.packageInfo),
        gte(grants.issuedAt, since),
      ),
    )
    .orderBy(desc(grants.issuedAt));
}

/** Database time `ms` milliseconds ago. */
function ago(ms: number): SQL {
  return sql`now() - (${ms} * interval '1 millisecond')`;
}

/**
 * Grants reconciliation compares with WeChat Pay: every grant with a request number that is not settled
 * for good (reserved, or issued and not yet claimed or refunded), plus those changed within `recentMs`.
 * WeChat Pay returns query results for 30 days, so grants older than `maxAgeMs` are left out.
 */
export async function findGrantsToReconcile(
  scope: TenantScope,
  input: { recentMs: number; maxAgeMs: number; afterId: string | undefined; limit: number },
): Promise<RedPacketGrantRow[]> {
  return scope.db
    .select()
    .from(grants)
    .where(
      scope.where(
        grants,
        isNotNull(grants.requestNo),
        gte(grants.createdAt, ago(input.maxAgeMs)),
        or(inArray(grants.status, ["RESERVED", "ISSUED"]), gte(grants.updatedAt, ago(input.recentMs))),
        input.afterId ? sql`${grants.id} > ${input.afterId}` : undefined,
      ),
    )
    .orderBy(asc(grants.id))
    .limit(input.limit);
}

/** Tenants with grants that reconciliation should look at. */
export async function findTenantsToReconcile(db: Database, recentMs: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ tenantId: grants.tenantId })
    .from(grants)
    .where(and(isNotNull(grants.requestNo), or(inArray(grants.status, ["RESERVED", "ISSUED"]), gte(grants.updatedAt, ago(recentMs)))));
  return rows.map((row) => row.tenantId);
}
