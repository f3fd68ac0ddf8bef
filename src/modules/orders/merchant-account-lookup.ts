import { eq } from "drizzle-orm";
import type { Database } from "../../db/database.js";
import { merchantAccounts, type MerchantAccountRow } from "../merchants/merchant-account.table.js";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Find the merchant account a notification URL names, whichever tenant owns it. Notification routes
 * carry no token, so the account row is the only way to the tenant. Every later query is scoped to
 * that row's tenant.
 */
export async function findMerchantAccountForNotification(db: Database, accountRowId: string): Promise<MerchantAccountRow | undefined> {
  if (!UUID_PATTERN.test(accountRowId)) return undefined;
  const [row] = await db.select().from(merchantAccounts).where(eq(merchantAccounts.id, accountRowId));
  return row;
}
