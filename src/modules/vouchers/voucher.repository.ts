import { and, count, desc, eq, ilike, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../../db/database.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import type { Cursor } from "../../graphql/relay/pagination.js";
import { escapeLike } from "../campaigns/campaign.repository.js";
import {
  voucherBatches,
  voucherGrants,
  voucherModules,
  type VoucherBatchRow,
  type VoucherGrantRow,
  type VoucherModuleRow,
} from "./voucher.tables.js";

export interface VoucherBatchQuery {
  search?: string | null;
  wechatStatus?: string[] | null;
  merchantAccountId?: string | null;
  campaignId?: string | null;
}

function batchConditions(query: VoucherBatchQuery): (SQL | undefined)[] {
  return [
    query.search
      ? or(ilike(voucherBatches.name, `%${escapeLike(query.search)}%`), eq(voucherBatches.stockId, query.search))
      : undefined,
    query.wechatStatus?.length ? inArray(voucherBatches.wechatStatus, query.wechatStatus) : undefined,
    query.merchantAccountId ? eq(voucherBatches.merchantAccountId, query.merchantAccountId) : undefined,
    query.campaignId ? eq(voucherBatches.campaignId, query.campaignId) : undefined,
  ];
}

export async function findBatchById(scope: TenantScope, id: string): Promise<VoucherBatchRow | undefined> {
  const [row] = await scope.db.select().from(voucherBatches).where(scope.where(voucherBatches, eq(voucherBatches.id, id)));
  return row;
}

export async function findBatchByStockId(scope: TenantScope, stockId: string): Promise<VoucherBatchRow | undefined> {
  const [row] = await scope.db.select().from(voucherBatches).where(scope.where(voucherBatches, eq(voucherBatches.stockId, stockId)));
  return row;
}

export async function findBatchesByIds(scope: TenantScope, ids: readonly string[]): Promise<VoucherBatchRow[]> {
  if (ids.length === 0) return [];
  return scope.db.select().from(voucherBatches).where(scope.where(voucherBatches, inArray(voucherBatches.id, [...ids])));
}

export async function listBatches(scope: TenantScope, query: VoucherBatchQuery, after: Cursor | undefined, limit: number) {
  const afterCondition = after
    ? or(
        lt(voucherBatches.createdAt, new Date(after.key)),
        and(eq(voucherBatches.createdAt, new Date(after.key)), lt(voucherBatches.id, after.id)),
      )
    : undefined;
  return scope.db
    .select()
    .from(voucherBatches)
    .where(scope.where(voucherBatches, ...batchConditions(query), afterCondition))
    .orderBy(desc(voucherBatches.createdAt), desc(voucherBatches.id))
    .limit(limit);
}

export async function countBatches(scope: TenantScope, query: VoucherBatchQuery): Promise<number> {
  const [row] = await scope.db.select({ total: count() }).from(voucherBatches).where(scope.where(voucherBatches, ...batchConditions(query)));
  return row?.total ?? 0;
}

export async function insertBatch(scope: TenantScope, values: Omit<typeof voucherBatches.$inferInsert, "tenantId">) {
  const [row] = await scope.db.insert(voucherBatches).values(scope.row(values)).returning();
  return row!;
}

export async function updateBatch(scope: TenantScope, id: string, changes: Partial<typeof voucherBatches.$inferInsert>) {
  const [row] = await scope.db
    .update(voucherBatches)
    .set({ ...changes, updatedAt: new Date() })
    .where(scope.where(voucherBatches, eq(voucherBatches.id, id)))
    .returning();
  return row;
}

/** Batches whose copy of WeChat Pay's data is older than `before`, across tenants, for the periodic sync. */
export async function findStaleBatches(db: Executor, before: Date, limit: number): Promise<VoucherBatchRow[]> {
  return db.select().from(voucherBatches).where(lt(voucherBatches.syncedAt, before)).orderBy(voucherBatches.syncedAt).limit(limit);
}

export async function upsertModule(scope: TenantScope, values: Omit<typeof voucherModules.$inferInsert, "tenantId">) {
  const [row] = await scope.db
    .insert(voucherModules)
    .values(scope.row(values))
    .onConflictDoUpdate({
      target: [voucherModules.tenantId, voucherModules.pageId, voucherModules.moduleKey],
      set: {
        batchId: values.batchId,
        campaignId: values.campaignId ?? null,
        popupKind: values.popupKind,
        popupMessage: values.popupMessage ?? null,
        popupPictureUrl: values.popupPictureUrl ?? null,
        updatedAt: new Date(),
      },
    })
    .returning();
  return row!;
}

export async function findModule(scope: TenantScope, pageId: string, moduleKey: string): Promise<VoucherModuleRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(voucherModules)
    .where(scope.where(voucherModules, eq(voucherModules.pageId, pageId), eq(voucherModules.moduleKey, moduleKey)));
  return row;
}

export async function findModulesOfPage(scope: TenantScope, pageId: string): Promise<VoucherModuleRow[]> {
  return scope.db.select().from(voucherModules).where(scope.where(voucherModules, eq(voucherModules.pageId, pageId)));
}

/** Insert a grant for this request, or return the one an earlier attempt of the same request created. */
export async function insertGrantOnce(
  scope: TenantScope,
  values: Omit<typeof voucherGrants.$inferInsert, "tenantId">,
): Promise<{ grant: VoucherGrantRow; created: boolean }> {
  const [inserted] = await scope.db.insert(voucherGrants).values(scope.row(values)).onConflictDoNothing().returning();
  if (inserted) return { grant: inserted, created: true };
  const [existing] = await scope.db
    .select()
    .from(voucherGrants)
    .where(
      scope.where(
        voucherGrants,
        eq(voucherGrants.batchId, values.batchId),
        eq(voucherGrants.customerId, values.customerId),
        eq(voucherGrants.requestKey, values.requestKey),
      ),
    );
  return { grant: existing!, created: false };
}

/** Grants of a customer on a batch that count against the per-user limit: every one not definitively failed. */
export async function countLiveGrants(scope: TenantScope, batchId: string, customerId: string, excludeId?: string): Promise<number> {
  const [row] = await scope.db
    .select({ total: count() })
    .from(voucherGrants)
    .where(
      scope.where(
        voucherGrants,
        eq(voucherGrants.batchId, batchId),
        eq(voucherGrants.customerId, customerId),
        inArray(voucherGrants.status, ["PENDING", "ISSUED", "UNKNOWN"]),
        excludeId ? sql`${voucherGrants.id} <> ${excludeId}` : undefined,
      ),
    );
  return row?.total ?? 0;
}

export async function updateGrant(db: Executor, tenantId: string, id: string, changes: Partial<typeof voucherGrants.$inferInsert>) {
  const [row] = await db
    .update(voucherGrants)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(voucherGrants.tenantId, tenantId), eq(voucherGrants.id, id)))
    .returning();
  return row;
}

/** Grants whose outcome is still open and that nobody touched since `before`, across tenants. */
export async function findUnsettledGrants(db: Executor, before: Date, limit: number): Promise<VoucherGrantRow[]> {
  return db
    .select()
    .from(voucherGrants)
    .where(and(inArray(voucherGrants.status, ["PENDING", "UNKNOWN"]), lt(voucherGrants.updatedAt, before)))
    .orderBy(voucherGrants.updatedAt)
    .limit(limit);
}

export async function findGrantByCouponId(db: Executor, tenantId: string, couponId: string): Promise<VoucherGrantRow | undefined> {
  const [row] = await db
    .select()
    .from(voucherGrants)
    .where(and(eq(voucherGrants.tenantId, tenantId), eq(voucherGrants.couponId, couponId)));
  return row;
}

/** Set redeemed_at once; returns the grant only for the call that did it. */
export async function markGrantRedeemed(db: Executor, tenantId: string, id: string, at: Date) {
  const [row] = await db
    .update(voucherGrants)
    .set({ redeemedAt: at, updatedAt: new Date() })
    .where(and(eq(voucherGrants.tenantId, tenantId), eq(voucherGrants.id, id), isNull(voucherGrants.redeemedAt)))
    .returning();
  return row;
}

export async function incrementBatchCounters(
  db: Executor,
  tenantId: string,
  batchId: string,
  delta: { issued?: number; collected?: number; redeemed?: number },
): Promise<void> {
  await db
    .update(voucherBatches)
    .set({
      issuedCount: sql`${voucherBatches.issuedCount} + ${delta.issued ?? 0}`,
      collectedCount: sql`${voucherBatches.collectedCount} + ${delta.collected ?? 0}`,
      redeemedCount: sql`${voucherBatches.redeemedCount} + ${delta.redeemed ?? 0}`,
      updatedAt: new Date(),
    })
    .where(and(eq(voucherBatches.tenantId, tenantId), eq(voucherBatches.id, batchId)));
}
