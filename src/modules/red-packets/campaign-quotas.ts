import type { TenantScope } from "../../db/tenant-scope.js";
import { isKnownTimeZone } from "../events/tenant-time-zone.js";
import { localDay, remainingQuota, type QuotaLimits, type QuotaRemaining, type QuotaUsage } from "./quota.js";
import { findDailyCounters, findRedPacketsByCampaign, findTenantZone } from "./red-packet.repository.js";
import type { RedPacketStatus } from "./red-packet.tables.js";
import { limitsOf, usageOf } from "./red-packet.type.js";

/** One red packet's quota as a campaign dashboard shows it. Amounts are fen. */
export interface RedPacketQuota {
  /** Row id of the red packet. */
  redPacketId: string;
  name: string;
  status: RedPacketStatus;
  /** Local date (YYYY-MM-DD) the daily figures belong to. */
  day: string;
  limits: QuotaLimits;
  /** Issued plus in flight, in total and on `day`. */
  used: QuotaUsage;
  /** Remaining quota of each limit; null for an unlimited one. */
  remaining: QuotaRemaining;
}

const FALLBACK_TIME_ZONE = "Asia/Shanghai";

/**
 * List the quotas of every red packet linked to a campaign (deleted ones included, newest first), with
 * the daily figures of the local day at `now` (default: the current time). Without `timeZone` the
 * tenant's own zone applies, else Asia/Shanghai, so pass the zone when DEFAULT_TIME_ZONE differs.
 */
export async function redPacketQuotasForCampaign(
  scope: TenantScope,
  campaignRowId: string,
  options: { now?: Date; timeZone?: string } = {},
): Promise<RedPacketQuota[]> {
  const rows = await findRedPacketsByCampaign(scope, campaignRowId);
  if (rows.length === 0) return [];

  const ownZone = options.timeZone ?? (await findTenantZone(scope));
  const zone = ownZone !== undefined && isKnownTimeZone(ownZone) ? ownZone : FALLBACK_TIME_ZONE;
  const day = localDay(options.now ?? new Date(), zone);
  const daily = await findDailyCounters(scope, rows.map((row) => row.id), day);

  return rows.map((row) => {
    const limits = limitsOf(row);
    const used = usageOf(row, daily.get(row.id));
    return { redPacketId: row.id, name: row.name, status: row.status, day, limits, used, remaining: remainingQuota(limits, used) };
  });
}
