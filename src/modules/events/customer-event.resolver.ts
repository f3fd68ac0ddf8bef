import { eq } from "drizzle-orm";
import { Arg, Authorized, Ctx, Field, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { registerNodeType } from "../../graphql/node.resolver.js";
import { UserError } from "../../graphql/user-error.js";
import { customerEvents } from "./customer-event.table.js";
import { CustomerEvent, CustomerEventConnection } from "./customer-event.type.js";
import { exportCustomerEventsPayload, searchCustomerEvents } from "./customer-event.service.js";
import { CustomerSegment, SegmentAbsenceCondition, SegmentEventCondition } from "./customer-segment.type.js";
import { findCustomerSegment } from "./customer-segment.service.js";
import { CustomerEventFilter, CustomerEventOrderEnum, type CustomerEventOrder } from "./event-filter.inputs.js";
import { computeEventStats } from "./event-stats.service.js";
import {
  EventStats,
  EventStatsGroupEnum,
  EventStatsMetricEnum,
  type EventStatsGroup,
  type EventStatsMetric,
} from "./event-stats.type.js";

registerNodeType("CustomerEvent", async (ctx, rowId) => {
  const scope = tenantScope(ctx);
  const [row] = await scope.db.select().from(customerEvents).where(scope.where(customerEvents, eq(customerEvents.id, rowId)));
  return row ? CustomerEvent.fromRow(row) : null;
});

@ObjectType()
class ExportCustomerEventsPayload {
  @Field(() => String, {
    nullable: true,
    description: "The CSV text: UTF-8 with a byte order mark, CRLF line endings, amounts in fen and times in UTC.",
  })
  csv!: string | null;

  @Field(() => Int, { description: "Data rows in the CSV, not counting the header." })
  rowCount!: number;

  @Field(() => String, { nullable: true, description: "Suggested file name." })
  fileName!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver(() => CustomerEvent)
export class CustomerEventResolver {
  @Authorized(Audience.analytics)
  @Query(() => CustomerEventConnection, {
    description: "Customer events that match the filter; the filter must limit occurredAt (see CustomerEventFilter).",
  })
  customerEvents(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => CustomerEventFilter) filter: CustomerEventFilter,
    @Arg("orderBy", () => CustomerEventOrderEnum, { nullable: true, defaultValue: "OCCURRED_AT_DESC" })
    orderBy: CustomerEventOrder,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    return searchCustomerEvents(ctx, { filter, orderBy, first, after });
  }

  @Authorized(Audience.analytics)
  @Query(() => EventStats, { description: "Aggregates of the customer events that match the filter." })
  eventStats(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => CustomerEventFilter) filter: CustomerEventFilter,
    @Arg("groupBy", () => [EventStatsGroupEnum], { defaultValue: [] }) groupBy: EventStatsGroup[],
    @Arg("metrics", () => [EventStatsMetricEnum]) metrics: EventStatsMetric[],
  ) {
    return computeEventStats(ctx, { filter, groupBy, metrics });
  }

  @Authorized(Audience.analytics)
  @Query(() => CustomerSegment, {
    description: "Customers who did one thing (did) and, when didNot is given, did not do another in a recent window.",
  })
  customerSegment(
    @Ctx() ctx: RequestContext,
    @Arg("did", () => SegmentEventCondition) did: SegmentEventCondition,
    @Arg("didNot", () => SegmentAbsenceCondition, { nullable: true }) didNot: SegmentAbsenceCondition | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    return findCustomerSegment(ctx, { did, didNot, first, after });
  }

  @Authorized(Audience.analytics)
  @Mutation(() => ExportCustomerEventsPayload, {
    description: "Export the customer events that match the filter as CSV, up to 50,000 rows.",
  })
  async exportCustomerEvents(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => CustomerEventFilter) filter: CustomerEventFilter,
    @Arg("orderBy", () => CustomerEventOrderEnum, { nullable: true, defaultValue: "OCCURRED_AT_DESC" })
    orderBy: CustomerEventOrder,
  ): Promise<ExportCustomerEventsPayload> {
    return exportCustomerEventsPayload(ctx, { filter, orderBy });
  }
}
