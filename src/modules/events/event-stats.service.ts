import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import type { CustomerEventFilter } from "./event-filter.inputs.js";
import { aggregateCustomerEvents, type StatsRow } from "./event-stats.repository.js";
import { isTimeBucket, type EventStats, type EventStatsGroup, type EventStatsMetric, type TimeBucket } from "./event-stats.type.js";
import { optionalGlobalId } from "./customer-event.type.js";
import { prepareEventFilter } from "./customer-event.service.js";
import { windowDays } from "./query-cost.js";
import { findTenantTimeZone } from "./tenant-time-zone.js";

/** Most rows one eventStats call returns. */
export const MAX_STATS_ROWS = 5_000;
/** Most time buckets the filter's window may be cut into, such as 83 days by the hour. */
export const MAX_TIME_BUCKETS = 2_000;

// Upper bounds of one bucket in days, so the bucket count of a window is never underestimated.
const bucketDays: Record<TimeBucket, number> = { HOUR: 1 / 24, DAY: 1, WEEK: 7, MONTH: 28 };

export interface EventStatsRequest {
  filter: CustomerEventFilter | null | undefined;
  groupBy: EventStatsGroup[];
  metrics: EventStatsMetric[];
}

/**
 * Count, count distinct customers and sum amounts of the matching events, grouped as requested. Time
 * buckets are cut in the tenant's time zone.
 */
export async function computeEventStats(ctx: RequestContext, request: EventStatsRequest): Promise<EventStats> {
  const groupBy = [...new Set(request.groupBy)];
  const metrics = [...new Set(request.metrics)];
  if (metrics.length === 0) {
    throw new DomainError("BAD_USER_INPUT", "REQUIRED", "events.metricsRequired", {}, { field: "metrics" });
  }

  const buckets = groupBy.filter(isTimeBucket);
  if (buckets.length > 1) {
    throw new DomainError("BAD_USER_INPUT", "INVALID_GROUP_BY", "events.oneTimeBucket", { buckets: buckets.join(", ") }, { field: "groupBy" });
  }

  const { where, window } = prepareEventFilter(request.filter, "filter", ctx.services.now());
  const bucket = buckets[0];
  if (bucket) checkBucketCount(bucket, windowDays(window));

  const scope = tenantScope(ctx);
  const timeZone = await findTenantTimeZone(ctx, scope);
  const rows = await aggregateCustomerEvents(scope, { where, groupBy, metrics, timeZone, limit: MAX_STATS_ROWS + 1 });
  if (rows.length > MAX_STATS_ROWS) {
    throw new DomainError("BAD_USER_INPUT", "TOO_MANY_GROUPS", "events.tooManyGroups", { max: MAX_STATS_ROWS }, { field: "groupBy" });
  }

  return { timeZone, rows: rows.map(toStatsRow) };
}

function checkBucketCount(bucket: TimeBucket, days: number): void {
  // One more than the whole buckets, because a window rarely starts on a bucket boundary.
  const count = Math.ceil(days / bucketDays[bucket]) + 1;
  if (count > MAX_TIME_BUCKETS) {
    throw new DomainError(
      "BAD_USER_INPUT",
      "TOO_MANY_BUCKETS",
      "events.tooManyBuckets",
      { days, bucket, count, max: MAX_TIME_BUCKETS },
      { field: "groupBy" },
    );
  }
}

function toStatsRow(row: StatsRow) {
  return {
    bucketStart: row.bucketStart ?? null,
    type: row.type ?? null,
    source: row.source ?? null,
    campaignId: optionalGlobalId("campaignId", row.campaignId ?? null),
    voucherBatchId: optionalGlobalId("voucherBatchId", row.voucherBatchId ?? null),
    redPacketId: optionalGlobalId("redPacketId", row.redPacketId ?? null),
    count: row.count ?? null,
    distinctCustomers: row.distinctCustomers ?? null,
    sumAmount: row.sumAmount ?? null,
  };
}
