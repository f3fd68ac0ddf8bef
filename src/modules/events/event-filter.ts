import { and, eq, gte, inArray, like, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { escapeLike } from "../campaigns/campaign.repository.js";
import type { PgColumn } from "drizzle-orm/pg-core";
import { customerEvents, type CustomerEventSource, type CustomerEventType } from "./customer-event.table.js";

/**
 * A customer event filter after its input has been checked and its global ids decoded: a tree of
 * and/or/not over conditions on single columns. Compiling it is pure, so it is unit-tested without a
 * database.
 */
export type EventFilter =
  | { kind: "and"; filters: EventFilter[] }
  | { kind: "or"; filters: EventFilter[] }
  | { kind: "not"; filter: EventFilter }
  | { kind: "condition"; condition: EventCondition };

/** Columns that hold row ids (UUIDs) of other objects. */
export const idFields = [
  "campaignId",
  "voucherBatchId",
  "redPacketId",
  "orderId",
  "productId",
  "merchantAccountId",
  "customerId",
] as const;
export type IdField = (typeof idFields)[number];

export const relativeTimeUnits = ["MINUTE", "HOUR", "DAY", "WEEK", "MONTH"] as const;
export type RelativeTimeUnit = (typeof relativeTimeUnits)[number];

/** A window that ends now and reaches back `amount` units. */
export interface RelativeWindow {
  amount: number;
  unit: RelativeTimeUnit;
}

/** One allow-listed operator on one column. `in` with one value is how `equals` arrives here. */
export type EventCondition =
  | { field: "type"; op: "in"; values: CustomerEventType[] }
  | { field: "source"; op: "in"; values: CustomerEventSource[] }
  | { field: IdField; op: "in"; values: string[] }
  | { field: "openid"; op: "in"; values: string[] }
  | { field: "mobile"; op: "in"; values: string[] }
  | { field: "mobile"; op: "prefix"; prefix: string }
  | { field: "amount"; op: "in"; values: number[] }
  | { field: "amount"; op: "range"; min?: number; max?: number }
  | { field: "occurredAt"; op: "range"; from?: Date; to?: Date }
  | { field: "occurredAt"; op: "last"; window: RelativeWindow };

const columns = {
  type: customerEvents.type,
  source: customerEvents.source,
  campaignId: customerEvents.campaignId,
  voucherBatchId: customerEvents.voucherBatchId,
  redPacketId: customerEvents.redPacketId,
  orderId: customerEvents.orderId,
  productId: customerEvents.productId,
  merchantAccountId: customerEvents.merchantAccountId,
  customerId: customerEvents.customerId,
  openid: customerEvents.openid,
  mobile: customerEvents.mobile,
  amount: customerEvents.amount,
};

const TRUE = sql`true`;

/**
 * Compile a filter into a WHERE condition on customer_events. `now` fixes relative windows, so one
 * request gets one consistent window however many times it compiles the filter.
 */
export function compileEventFilter(filter: EventFilter, now: Date): SQL {
  switch (filter.kind) {
    case "and":
      return filter.filters.length === 0 ? TRUE : and(...filter.filters.map((child) => compileEventFilter(child, now)))!;
    case "or":
      return filter.filters.length === 0 ? TRUE : or(...filter.filters.map((child) => compileEventFilter(child, now)))!;
    case "not":
      // `is not true` also keeps rows where the inner condition is NULL, such as "not in campaign X" for
      // an event without a campaign; plain NOT would drop them.
      return sql`(${compileEventFilter(filter.filter, now)}) is not true`;
    case "condition":
      return compileCondition(filter.condition, now);
    default:
      return unreachable(filter);
  }
}

function compileCondition(condition: EventCondition, now: Date): SQL {
  if (condition.field === "occurredAt") {
    if (condition.op === "last") return gte(customerEvents.occurredAt, windowStart(now, condition.window));
    return and(
      condition.from ? gte(customerEvents.occurredAt, condition.from) : undefined,
      condition.to ? lt(customerEvents.occurredAt, condition.to) : undefined,
    ) ?? TRUE;
  }

  if (condition.op === "prefix") {
    return like(customerEvents.mobile, `${escapeLike(condition.prefix)}%`);
  }

  if (condition.op === "range") {
    return and(
      condition.min !== undefined ? gte(customerEvents.amount, condition.min) : undefined,
      condition.max !== undefined ? lte(customerEvents.amount, condition.max) : undefined,
    ) ?? TRUE;
  }

  const column: PgColumn = columns[condition.field];
  const values = condition.values as (string | number)[];
  return values.length === 1 ? eq(column, values[0]) : inArray(column, values);
}

const MILLISECONDS: Record<Exclude<RelativeTimeUnit, "MONTH">, number> = {
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
  WEEK: 7 * 86_400_000,
};

/**
 * Start of a rolling window that ends at `now`. DAY and WEEK are 24-hour multiples; MONTH steps back
 * calendar months in UTC and clamps the day, so one month before 31 March is 28 or 29 February.
 */
export function windowStart(now: Date, window: RelativeWindow): Date {
  if (window.unit !== "MONTH") return new Date(now.getTime() - window.amount * MILLISECONDS[window.unit]);

  const start = new Date(now.getTime());
  const day = start.getUTCDate();
  start.setUTCDate(1);
  start.setUTCMonth(start.getUTCMonth() - window.amount);
  const daysInMonth = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)).getUTCDate();
  start.setUTCDate(Math.min(day, daysInMonth));
  return start;
}

export function unreachable(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
