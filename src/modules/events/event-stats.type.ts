import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { FenScalar } from "../../graphql/scalars/fen.js";
import type { CustomerEventSource, CustomerEventType } from "./customer-event.table.js";
import { CustomerEventSourceEnum, CustomerEventTypeEnum, enumOf } from "./customer-event.type.js";

export const eventStatsGroups = [
  "HOUR",
  "DAY",
  "WEEK",
  "MONTH",
  "TYPE",
  "SOURCE",
  "CAMPAIGN",
  "VOUCHER_BATCH",
  "RED_PACKET",
] as const;
export type EventStatsGroup = (typeof eventStatsGroups)[number];

export const timeBuckets = ["HOUR", "DAY", "WEEK", "MONTH"] as const;
export type TimeBucket = (typeof timeBuckets)[number];

export function isTimeBucket(group: EventStatsGroup): group is TimeBucket {
  return (timeBuckets as readonly string[]).includes(group);
}

export const EventStatsGroupEnum = enumOf(eventStatsGroups);
registerEnumType(EventStatsGroupEnum, {
  name: "EventStatsGroup",
  description:
    "What statistics rows are grouped by. HOUR, DAY, WEEK (from Monday) and MONTH are time buckets in the tenant's time zone; use at most one of them.",
});

export const eventStatsMetrics = ["COUNT", "DISTINCT_CUSTOMERS", "SUM_AMOUNT"] as const;
export type EventStatsMetric = (typeof eventStatsMetrics)[number];

export const EventStatsMetricEnum = enumOf(eventStatsMetrics);
registerEnumType(EventStatsMetricEnum, {
  name: "EventStatsMetric",
  description: "COUNT: events. DISTINCT_CUSTOMERS: different customers. SUM_AMOUNT: total amount in fen.",
});

@ObjectType({ description: "One group of events. Fields of groups and metrics that were not requested are null." })
export class EventStatsRow {
  @Field(() => DateTimeResolver, { nullable: true, description: "Start of the time bucket in the tenant's time zone." })
  bucketStart!: Date | null;

  @Field(() => CustomerEventTypeEnum, { nullable: true })
  type!: CustomerEventType | null;

  @Field(() => CustomerEventSourceEnum, { nullable: true })
  source!: CustomerEventSource | null;

  @Field(() => ID, { nullable: true, description: "With CAMPAIGN in groupBy, null is the group of events without a campaign." })
  campaignId!: string | null;

  @Field(() => ID, { nullable: true })
  voucherBatchId!: string | null;

  @Field(() => ID, { nullable: true })
  redPacketId!: string | null;

  @Field(() => Int, { nullable: true })
  count!: number | null;

  @Field(() => Int, { nullable: true })
  distinctCustomers!: number | null;

  @Field(() => FenScalar, { nullable: true })
  sumAmount!: number | null;
}

@ObjectType({ description: "Aggregates of the events that match a filter. Groups without events are left out." })
export class EventStats {
  @Field(() => String, { description: "IANA time zone the time buckets were cut in." })
  timeZone!: string;

  @Field(() => [EventStatsRow], { description: "Rows ordered by their group values, oldest bucket first." })
  rows!: EventStatsRow[];
}
