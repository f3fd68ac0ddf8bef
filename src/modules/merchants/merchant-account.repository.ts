import { count, desc, eq } from "drizzle-orm";
import type { Database } from "../../db/database.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import { merchantAccounts, type MerchantAccountRow } from "./merchant-account.table.js";

export async function findMerchantAccountById(scope: TenantScope, id: string): Promise<MerchantAccountRow | undefined> {
  const [row] = await scope.db.select().from(merchantAccounts).where(scope.where(merchantAccounts, eq(merchantAccounts.id, id)));
  return row;
}

export async function findMerchantAccountByMchid(scope: TenantScope, mchid: string): Promise<MerchantAccountRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(merchantAccounts)
    .where(scope.where(merchantAccounts, eq(merchantAccounts.mchid, mchid)));
  return row;
}

export async function listMerchantAccountRows(scope: TenantScope, limit: number, offset: number) {
  return scope.db
    .select()
    .from(merchantAccounts)
    .where(scope.where(merchantAccounts))
    .orderBy(desc(merchantAccounts.createdAt), desc(merchantAccounts.id))
    .limit(limit)
    .offset(offset);
}

export async function countMerchantAccounts(scope: TenantScope): Promise<number> {
  const [row] = await scope.db.select({ total: count() }).from(merchantAccounts).where(scope.where(merchantAccounts));
  return row?.total ?? 0;
}

export async function insertMerchantAccount(scope: TenantScope, values: Omit<typeof merchantAccounts.$inferInsert, "tenantId">) {
  const [row] = await scope.db.insert(merchantAccounts).values(scope.row(values)).returning();
  return row!;
}

export async function updateMerchantAccountRow(
  scope: TenantScope,
  id: string,
  changes: Partial<Omit<typeof merchantAccounts.$inferInsert, "tenantId" | "id">>,
): Promise<MerchantAccountRow | undefined> {
  const [row] = await scope.db
    .update(merchantAccounts)
    .set({ ...changes, updatedAt: new Date() })
    .where(scope.where(merchantAccounts, eq(merchantAccounts.id, id)))
    .returning();
  return row;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Find the merchant account a notification URL names, whichever tenant owns it. Notification routes carry
 * no token, so the account row is the only way to the tenant; every later query is scoped to its tenant.
 */
export async function findMerchantAccountForNotification(db: Database, accountRowId: string): Promise<MerchantAccountRow | undefined> {
  if (!UUID_PATTERN.test(accountRowId)) return undefined;
  const [row] = await db.select().from(merchantAccounts).where(eq(merchantAccounts.id, accountRowId));
  return row;
}
