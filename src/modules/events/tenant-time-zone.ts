import { eq } from "drizzle-orm";
import type { RequestContext } from "../../graphql/context.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import { tenants } from "../tenants/tenant.table.js";

/**
 * Find the IANA time zone of the tenant's daily statistics: its own from the tenants table, or
 * DEFAULT_TIME_ZONE when it has none. A stored zone that this runtime does not know is logged and
 * replaced by the default, so one bad row cannot break every statistic of the tenant.
 */
export async function findTenantTimeZone(ctx: RequestContext, scope: TenantScope): Promise<string> {
  const fallback = ctx.services.config.defaultTimeZone;
  const [row] = await scope.db
    .select({ timeZone: tenants.timeZone })
    .from(tenants)
    .where(eq(tenants.id, scope.tenantId));

  const zone = row?.timeZone;
  if (!zone) return fallback;
  if (isKnownTimeZone(zone)) return zone;

  ctx.logger.warn({ module: "events", tenantId: scope.tenantId, timeZone: zone }, "tenant time zone is unknown; using the default");
  return fallback;
}

export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
