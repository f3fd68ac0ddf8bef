import DataLoader from "dataloader";
import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { findTenantTimeZone } from "../events/tenant-time-zone.js";
import { emptyCampaignTotals, loadCampaignDays, loadCampaignTotals, type CampaignTotals } from "./campaign-stats.repository.js";
import { CampaignDayStats, CampaignStats } from "./campaign-stats.type.js";

/** Longest daily series one request may ask for, in days. */
export const MAX_SERIES_DAYS = 366;

// One loader per request, so listing many campaigns with their stats costs one query.
const totalsLoaders = new WeakMap<RequestContext, DataLoader<string, CampaignTotals>>();

function totalsLoader(ctx: RequestContext): DataLoader<string, CampaignTotals> {
  let loader = totalsLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (campaignIds: readonly string[]) => {
      const totals = await loadCampaignTotals(tenantScope(ctx), campaignIds);
      return campaignIds.map((campaignId) => totals.get(campaignId) ?? emptyCampaignTotals);
    });
    totalsLoaders.set(ctx, loader);
  }
  return loader;
}

export async function getCampaignStats(ctx: RequestContext, campaignRowId: string): Promise<CampaignStats> {
  const totals = await totalsLoader(ctx).load(campaignRowId);
  return CampaignStats.fromTotals(campaignRowId, totals);
}

/**
 * List the campaign's local days in the tenant's time zone, oldest first, from its first day with events to
 * its last, with days without events filled in as zeros. At most the latest `days` days are returned.
 */
export async function getCampaignDays(ctx: RequestContext, campaignRowId: string, days: number): Promise<CampaignDayStats[]> {
  if (!Number.isInteger(days) || days < 1 || days > MAX_SERIES_DAYS) {
    throw new DomainError(
      "BAD_USER_INPUT",
      "INVALID_DAYS",
      "validation.invalid",
      { field: "days", value: days, reason: `use 1 to ${MAX_SERIES_DAYS}` },
      { field: "days" },
    );
  }

  const scope = tenantScope(ctx);
  const timeZone = await findTenantTimeZone(ctx, scope);
  const rows = await loadCampaignDays(scope, { campaignId: campaignRowId, timeZone, maxDays: days });
  if (rows.length === 0) return [];

  const byDate = new Map(rows.map((row) => [row.date, row]));
  const last = rows[0]!.date;
  const first = [rows.at(-1)!.date, addDays(last, -(days - 1))].sort().at(-1)!;

  const series: CampaignDayStats[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) {
    const row = byDate.get(date);
    series.push(row ? CampaignDayStats.fromRow(row) : CampaignDayStats.empty(date));
  }
  return series;
}

/** Add days to a YYYY-MM-DD date; calendar dates carry no time zone, so UTC arithmetic is exact. */
function addDays(date: string, days: number): string {
  const time = new Date(`${date}T00:00:00Z`);
  time.setUTCDate(time.getUTCDate() + days);
  return time.toISOString().slice(0, 10);
}
