import { and, asc, count, eq, gt, gte, notExists, sql, type SQL } from "drizzle-orm";
import type { TenantScope } from "../../db/tenant-scope.js";
import { customers } from "../customers/customer.table.js";
import { customerEvents, type CustomerEventType } from "./customer-event.table.js";

const events = customerEvents;

export interface SegmentQuery {
  did: { type: CustomerEventType; where: SQL; minCount: number };
  didNot?: { type: CustomerEventType; where: SQL } | undefined;
}

export interface SegmentCustomerRow {
  id: string;
  appid: string;
  openid: string;
  mobile: string | null;
  matchedEvents: number;
}

/**
 * Build the segment query: a CTE of customers with enough matching events, joined to customers and
 * stripped of those with an event the didNot condition names. The NOT EXISTS probe runs on the
 * (tenant_id, customer_id, occurred_at) index, once per candidate.
 */
function segmentParts(scope: TenantScope, query: SegmentQuery) {
  const matchedEvents = count().as("matched_events");
  const did = scope.db.$with("did").as(
    scope.db
      .select({ customerId: events.customerId, matchedEvents })
      .from(events)
      .where(scope.where(events, eq(events.type, query.did.type), query.did.where))
      .groupBy(events.customerId)
      .having(gte(count(), query.did.minCount)),
  );

  const absent = query.didNot
    ? notExists(
        scope.db
          .select({ one: sql`1` })
          .from(events)
          .where(scope.where(events, eq(events.customerId, did.customerId), eq(events.type, query.didNot.type), query.didNot.where)),
      )
    : undefined;

  const joinCustomer = scope.where(customers, eq(customers.id, did.customerId));
  return { did, absent, joinCustomer };
}

export async function countSegment(scope: TenantScope, query: SegmentQuery): Promise<number> {
  const { did, absent, joinCustomer } = segmentParts(scope, query);
  const [row] = await scope.db
    .with(did)
    .select({ total: count() })
    .from(did)
    .innerJoin(customers, joinCustomer)
    .where(absent);
  return row?.total ?? 0;
}

/** One page of the segment ordered by customer id; `limit` should be the page size plus one. */
export async function listSegment(
  scope: TenantScope,
  query: SegmentQuery,
  afterCustomerId: string | undefined,
  limit: number,
): Promise<SegmentCustomerRow[]> {
  const { did, absent, joinCustomer } = segmentParts(scope, query);
  return scope.db
    .with(did)
    .select({
      id: customers.id,
      appid: customers.appid,
      openid: customers.openid,
      mobile: customers.mobile,
      matchedEvents: sql<number>`${did.matchedEvents}`.mapWith(Number),
    })
    .from(did)
    .innerJoin(customers, joinCustomer)
    .where(and(absent, afterCustomerId ? gt(customers.id, afterCustomerId) : undefined))
    .orderBy(asc(customers.id))
    .limit(limit);
}
