import { and, asc, count, desc, eq, gt, lt, or, sql, type SQL } from "drizzle-orm";
import type { TenantScope } from "../../db/tenant-scope.js";
import type { Cursor } from "../../graphql/relay/pagination.js";
import { customerEvents, type CustomerEventRow } from "./customer-event.table.js";
import type { CustomerEventOrder } from "./event-filter.inputs.js";

const events = customerEvents;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a row id, so a forged cursor cannot reach PostgreSQL as an invalid uuid. */
export function isRowId(value: string): boolean {
  return UUID_PATTERN.test(value);
}

interface SortSpec {
  /** ORDER BY terms: the sort key, then the id that breaks ties. */
  orderBy(): SQL[];
  /** The condition for rows that come after a cursor position in this order. */
  after(position: { key: Date | number; id: string }): SQL;
  /** Cursor form of a row's sort key. */
  cursorKey(row: CustomerEventRow): string | number;
  /** Sort key read back from a cursor key, or undefined when the cursor key has the wrong kind. */
  parseKey(key: string | number): Date | number | undefined;
}

// Events without an amount sort as 0, so the key is never NULL and keyset comparisons stay simple.
const amountKey = sql`coalesce(${events.amount}, 0)`;

const timeSort = (direction: "asc" | "desc"): SortSpec => {
  const beyond = direction === "desc" ? lt : gt;
  const sorted = direction === "desc" ? desc : asc;
  return {
    orderBy: () => [sorted(events.occurredAt), sorted(events.id)],
    after: (position) =>
      or(
        beyond(events.occurredAt, position.key as Date),
        and(eq(events.occurredAt, position.key as Date), beyond(events.id, position.id)),
      )!,
    cursorKey: (row) => row.occurredAt.toISOString(),
    parseKey: (key) => {
      if (typeof key !== "string") return undefined;
      const time = new Date(key);
      return Number.isNaN(time.getTime()) ? undefined : time;
    },
  };
};

const amountSort = (direction: "asc" | "desc"): SortSpec => {
  const beyond = direction === "desc" ? lt : gt;
  const sorted = direction === "desc" ? desc : asc;
  return {
    orderBy: () => [sorted(amountKey), sorted(events.id)],
    after: (position) =>
      or(beyond(amountKey, position.key), and(eq(amountKey, position.key), beyond(events.id, position.id)))!,
    cursorKey: (row) => row.amount ?? 0,
    parseKey: (key) => (typeof key === "number" && Number.isSafeInteger(key) ? key : undefined),
  };
};

export const sortSpecs: Record<CustomerEventOrder, SortSpec> = {
  OCCURRED_AT_DESC: timeSort("desc"),
  OCCURRED_AT_ASC: timeSort("asc"),
  AMOUNT_DESC: amountSort("desc"),
  AMOUNT_ASC: amountSort("asc"),
};

export interface EventPageQuery {
  /** Compiled filter, without the tenant condition (the scope adds it). */
  where: SQL;
  order: CustomerEventOrder;
  /** Position after which the page starts, with its key already parsed by the order's SortSpec. */
  after?: { key: Date | number; id: string } | undefined;
  limit: number;
}

/** One page of events in the requested order; `limit` should be the page size plus one. */
export async function listCustomerEvents(scope: TenantScope, query: EventPageQuery): Promise<CustomerEventRow[]> {
  const sort = sortSpecs[query.order];
  return scope.db
    .select()
    .from(events)
    .where(scope.where(events, query.where, query.after ? sort.after(query.after) : undefined))
    .orderBy(...sort.orderBy())
    .limit(query.limit);
}

export async function countCustomerEvents(scope: TenantScope, where: SQL): Promise<number> {
  const [row] = await scope.db.select({ total: count() }).from(events).where(scope.where(events, where));
  return row?.total ?? 0;
}

/** Check a decoded cursor against the order it is used with; undefined when it belongs to another. */
export function parseEventCursor(order: CustomerEventOrder, cursor: Cursor): { key: Date | number; id: string } | undefined {
  if (!isRowId(cursor.id)) return undefined;
  const key = sortSpecs[order].parseKey(cursor.key);
  return key === undefined ? undefined : { key, id: cursor.id };
}

export function eventCursor(order: CustomerEventOrder, row: CustomerEventRow): Cursor {
  return { key: sortSpecs[order].cursorKey(row), id: row.id };
}
