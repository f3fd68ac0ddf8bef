import { and, eq, inArray, sql } from "drizzle-orm";
import type { TenantScope } from "../../db/tenant-scope.js";
import { customers, type CustomerRow } from "./customer.table.js";

export interface CustomerIdentityInput {
  appid: string;
  openid: string;
  unionid?: string | null;
  mobile?: string | null;
}

/**
 * Find the customer with this appid and openid, creating it on first sight. Known unionid and mobile values are
 * kept when a later call omits them.
 */
export async function upsertCustomer(scope: TenantScope, identity: CustomerIdentityInput): Promise<CustomerRow> {
  const [row] = await scope.db
    .insert(customers)
    .values(
      scope.row({
        appid: identity.appid,
        openid: identity.openid,
        unionid: identity.unionid ?? null,
        mobile: identity.mobile ?? null,
      }),
    )
    .onConflictDoUpdate({
      target: [customers.tenantId, customers.appid, customers.openid],
      set: {
        unionid: sql`coalesce(excluded.unionid, ${customers.unionid})`,
        mobile: sql`coalesce(excluded.mobile, ${customers.mobile})`,
        updatedAt: sql`case when excluded.unionid is distinct from ${customers.unionid} or excluded.mobile is distinct from ${customers.mobile} then date_trunc('milliseconds', now()) else ${customers.updatedAt} end`,
      },
    })
    .returning();
  return row!;
}

/** Customers for many identities at once; inserts the unknown ones. Order follows the input. */
export async function upsertCustomers(scope: TenantScope, identities: CustomerIdentityInput[]): Promise<CustomerRow[]> {
  if (identities.length === 0) return [];
  // One INSERT … ON CONFLICT may not touch the same row twice, so repeated identities go in once.
  const unique = [...new Map(identities.map((identity) => [`${identity.appid}\u0000${identity.openid}`, identity])).values()];
  const rows = await scope.db
    .insert(customers)
    .values(unique.map((identity) => scope.row({ appid: identity.appid, openid: identity.openid, unionid: identity.unionid ?? null, mobile: identity.mobile ?? null })))
    .onConflictDoUpdate({
      target: [customers.tenantId, customers.appid, customers.openid],
      set: {
        unionid: sql`coalesce(excluded.unionid, ${customers.unionid})`,
        mobile: sql`coalesce(excluded.mobile, ${customers.mobile})`,
      },
    })
    .returning();
  const byKey = new Map(rows.map((row) => [`${row.appid}\u0000${row.openid}`, row]));
  return identities.map((identity) => byKey.get(`${identity.appid}\u0000${identity.openid}`)!);
}

export async function findCustomersByIds(scope: TenantScope, ids: readonly string[]): Promise<CustomerRow[]> {
  if (ids.length === 0) return [];
  return scope.db.select().from(customers).where(scope.where(customers, inArray(customers.id, [...ids])));
}

export async function findCustomerByOpenid(scope: TenantScope, appid: string, openid: string) {
  const [row] = await scope.db
    .select()
    .from(customers)
    .where(scope.where(customers, and(eq(customers.appid, appid), eq(customers.openid, openid))));
  return row;
}
