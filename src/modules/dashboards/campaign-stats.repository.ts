import { desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { TenantScope } from "../../db/tenant-scope.js";
import type { IssuanceCounts } from "../../realtime/campaign-issuance.js";
import { customerEvents, type CustomerEventType } from "../events/customer-event.table.js";

const events = customerEvents;

function countOf(type: CustomerEventType): SQL<number> {
  return sql`count(*) filter (where ${events.type} = ${type})`.mapWith(Number);
}

// sum() of bigint is numeric, which both drivers return as a string.
function amountOf(type: CustomerEventType): SQL<number> {
  return sql`coalesce(sum(${events.amount}) filter (where ${events.type} = ${type}), 0)`.mapWith(Number);
}

const distinctCustomers = sql`count(distinct ${events.customerId})`.mapWith(Number);

const issuanceColumns = {
  redPacketsIssued: countOf("RED_PACKET_ISSUED"),
  redPacketAmountIssued: amountOf("RED_PACKET_ISSUED"),
  redPacketsFailed: countOf("RED_PACKET_FAILED"),
  redPacketsRefunded: countOf("RED_PACKET_REFUNDED"),
  vouchersIssued: countOf("VOUCHER_ISSUED"),
  vouchersCollected: countOf("VOUCHER_COLLECTED"),
  vouchersRedeemed: countOf("VOUCHER_REDEEMED"),
};

/** Everything a campaign dashboard shows as totals, counted from the campaign's customer events. */
export interface CampaignTotals extends IssuanceCounts {
  redPacketAmountRefunded: number;
  ordersCreated: number;
  ordersPaid: number;
  /** Sum of paid orders, in fen. */
  orderAmountPaid: number;
  ordersRefunded: number;
  orderAmountRefunded: number;
  /** Customers with at least one event in the campaign. */
  customersReached: number;
}

export const emptyCampaignTotals: CampaignTotals = {
  redPacketsIssued: 0,
  redPacketAmountIssued: 0,
  redPacketsFailed: 0,
  redPacketsRefunded: 0,
  redPacketAmountRefunded: 0,
  vouchersIssued: 0,
  vouchersCollected: 0,
  vouchersRedeemed: 0,
  ordersCreated: 0,
  ordersPaid: 0,
  orderAmountPaid: 0,
  ordersRefunded: 0,
  orderAmountRefunded: 0,
  customersReached: 0,
};

/**
 * Load a campaign's issuance counts in one statement, so all of them come from the same snapshot. The
 * (tenant_id, campaign_id, occurred_at) index keeps this to the campaign's own rows.
 */
export async function loadIssuanceCounts(scope: TenantScope, campaignId: string): Promise<IssuanceCounts> {
  const [row] = await scope.db
    .select(issuanceColumns)
    .from(events)
    .where(scope.where(events, eq(events.campaignId, campaignId)));
  return row ?? { ...emptyCampaignTotals };
}

/** Load the totals of several campaigns at once, keyed by campaign row id; campaigns without events are absent. */
export async function loadCampaignTotals(
  scope: TenantScope,
  campaignIds: readonly string[],
): Promise<Map<string, CampaignTotals>> {
  if (campaignIds.length === 0) return new Map();

  const rows = await scope.db
    .select({
      campaignId: events.campaignId,
      ...issuanceColumns,
      redPacketAmountRefunded: amountOf("RED_PACKET_REFUNDED"),
      ordersCreated: countOf("ORDER_CREATED"),
      ordersPaid: countOf("ORDER_PAID"),
      orderAmountPaid: amountOf("ORDER_PAID"),
      ordersRefunded: countOf("ORDER_REFUNDED"),
      orderAmountRefunded: amountOf("ORDER_REFUNDED"),
      customersReached: distinctCustomers,
    })
    .from(events)
    .where(scope.where(events, inArray(events.campaignId, [...campaignIds])))
    .groupBy(events.campaignId);

  return new Map(rows.map(({ campaignId, ...totals }) => [campaignId!, totals]));
}

/** One local day of a campaign. */
export interface CampaignDayRow {
  /** Local date in the tenant's time zone, YYYY-MM-DD. */
  date: string;
  redPacketsIssued: number;
  redPacketAmountIssued: number;
  vouchersIssued: number;
  vouchersRedeemed: number;
  ordersPaid: number;
  orderAmountPaid: number;
  customersReached: number;
}

/** Load the latest `maxDays` local days that have events, newest first. */
export async function loadCampaignDays(
  scope: TenantScope,
  input: { campaignId: string; timeZone: string; maxDays: number },
): Promise<CampaignDayRow[]> {
  // Grouping by the select-list position, because a bound time zone parameter makes the select and
  // GROUP BY expressions differ in PostgreSQL's eyes.
  const localDate = sql<string>`to_char(${events.occurredAt} at time zone ${input.timeZone}, 'YYYY-MM-DD')`;

  return scope.db
    .select({
      date: localDate,
      redPacketsIssued: countOf("RED_PACKET_ISSUED"),
      redPacketAmountIssued: amountOf("RED_PACKET_ISSUED"),
      vouchersIssued: countOf("VOUCHER_ISSUED"),
      vouchersRedeemed: countOf("VOUCHER_REDEEMED"),
      ordersPaid: countOf("ORDER_PAID"),
      orderAmountPaid: amountOf("ORDER_PAID"),
      customersReached: distinctCustomers,
    })
    .from(events)
    .where(scope.where(events, eq(events.campaignId, input.campaignId)))
    .groupBy(sql`1`)
    .orderBy(desc(sql`1`))
    .limit(input.maxDays);
}
