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
  /** What is left of each limit; null for an unlimited one. */
  remaining: QuotaRemaining;
}

const FALLBACK_TIME_ZONE = "Asia/Shanghai";

/**
 * The quotas of every red packet linked to a campaign (deleted ones included, newest first), with
 * today's daily figures. `now` defaults to the current time; `timeZone` to the tenant's own zone, else
 * Asia/Shanghai; pass services.config.defaultTimeZone's result when the server default differs.
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
