import type { TenantScope } from "../../db/tenant-scope.js";
import { isKnownTimeZone } from "../events/tenant-time-zone.js";
import { localDay } from "./quota.js";
import { findTenantZone } from "./red-packet.repository.js";

/**
 * Return the tenant's IANA time zone for daily limits: its own when set and known to this runtime, else the
 * server default (DEFAULT_TIME_ZONE, Asia/Shanghai unless configured).
 */
export async function tenantTimeZone(scope: TenantScope, defaultTimeZone: string): Promise<string> {
  const zone = await findTenantZone(scope);
  return zone !== undefined && isKnownTimeZone(zone) ? zone : defaultTimeZone;
}

/** Return the tenant's local date (YYYY-MM-DD) at `now`. */
export async function tenantDay(scope: TenantScope, defaultTimeZone: string, now: Date): Promise<string> {
  return localDay(now, await tenantTimeZone(scope, defaultTimeZone));
}
