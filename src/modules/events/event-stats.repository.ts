import { asc, count, countDistinct, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { TenantScope } from "../../db/tenant-scope.js";
import { customerEvents, type CustomerEventSource, type CustomerEventType } from "./customer-event.table.js";
import { isTimeBucket, type EventStatsGroup, type EventStatsMetric, type TimeBucket } from "./event-stats.type.js";

const events = customerEvents;

const bucketUnits: Record<TimeBucket, string> = { HOUR: "hour", DAY: "day", WEEK: "week", MONTH: "month" };

const groupColumns: Record<Exclude<EventStatsGroup, TimeBucket>, { name: keyof StatsRow; column: PgColumn }> = {
  TYPE: { name: "type", column: events.type },
  SOURCE: { name: "source", column: events.source },
  CAMPAIGN: { name: "campaignId", column: events.campaignId },
  VOUCHER_BATCH: { name: "voucherBatchId", column: events.voucherBatchId },
  RED_PACKET: { name: "redPacketId", column: events.redPacketId },
};

const metricColumns: Record<EventStatsMetric, { name: keyof StatsRow; value: () => SQL }> = {
  COUNT: { name: "count", value: () => count() },
  DISTINCT_CUSTOMERS: { name: "distinctCustomers", value: () => countDistinct(events.customerId) },
  // sum() of bigint is numeric, which both drivers return as a string.
  SUM_AMOUNT: { name: "sumAmount", value: () => sql`coalesce(sum(${events.amount}), 0)`.mapWith(Number) },
};

/** A result row with row ids; absent keys were not requested. */
export interface StatsRow {
  bucketStart?: Date;
  type?: CustomerEventType;
  source?: CustomerEventSource;
  campaignId?: string | null;
  voucherBatchId?: string | null;
  redPacketId?: string | null;
  count?: number;
  distinctCustomers?: number;
  sumAmount?: number;
}

export interface StatsQuery {
  where: SQL;
  groupBy: EventStatsGroup[];
  metrics: EventStatsMetric[];
  timeZone: string;
  limit: number;
}

/**
 * Aggregate the matching events. Groups come first in the select list and are grouped and sorted by
 * position. The time bucket takes the time zone as a bound parameter, and PostgreSQL does not treat two
 * expressions with separate parameters as the same GROUP BY expression.
 */
export async function aggregateCustomerEvents(scope: TenantScope, query: StatsQuery): Promise<StatsRow[]> {
  const selection: Record<string, SQL | PgColumn> = {};
  for (const group of query.groupBy) {
    if (isTimeBucket(group)) {
      selection["bucketStart"] = sql`date_trunc(${bucketUnits[group]}::text, ${events.occurredAt}, ${query.timeZone}::text)`.mapWith(
        events.occurredAt,
      );
    } else {
      selection[groupColumns[group].name] = groupColumns[group].column;
    }
  }
  for (const metric of query.metrics) {
    selection[metricColumns[metric].name] = metricColumns[metric].value();
  }

  const positions = query.groupBy.map((_, index) => sql.raw(String(index + 1)));
  const base = scope.db.select(selection).from(events).where(scope.where(events, query.where)).$dynamic();
  const grouped = positions.length > 0 ? base.groupBy(...positions).orderBy(...positions.map((position) => asc(position))) : base;

  return (await grouped.limit(query.limit)) as StatsRow[];
}
