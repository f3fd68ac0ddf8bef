import { and, asc, count, desc, eq, gt, gte, inArray, like, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/database.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import { DomainError } from "../../graphql/errors.js";
import type { Cursor } from "../../graphql/relay/pagination.js";
import { customers } from "../customers/customer.table.js";
import { orderPromotions, orderRefunds, orders, type OrderPromotionRow, type OrderRow, type OrderStatus } from "./order.tables.js";

type OrderValues = Omit<typeof orders.$inferInsert, "tenantId" | "id">;

/** Conditions of an order search; every given one applies. Mobiles are E.164 (+86…). */
export interface OrderQuery {
  mobile?: string;
  mobilePrefix?: string;
  productRowId?: string;
  merchantAccountRowId?: string;
  campaignRowId?: string;
  pageId?: string;
  statuses?: OrderStatus[];
  /** Inclusive lower bound of the creation time. */
  createdFrom?: Date;
  /** Exclusive upper bound of the creation time. */
  createdBefore?: Date;
}

export const orderSortFields = ["CREATED_AT", "TOTAL_AMOUNT"] as const;
export type OrderSortField = (typeof orderSortFields)[number];
export type SortDirection = "ASC" | "DESC";

export interface OrderSort {
  field: OrderSortField;
  direction: SortDirection;
}

export const DEFAULT_ORDER_SORT: OrderSort = { field: "CREATED_AT", direction: "DESC" };

function filterConditions(scope: TenantScope, query: OrderQuery): (SQL | undefined)[] {
  const customersWithMobile = (condition: SQL) =>
    inArray(orders.customerId, scope.db.select({ id: customers.id }).from(customers).where(scope.where(customers, condition)));

  return [
    query.mobile ? customersWithMobile(eq(customers.mobile, query.mobile)) : undefined,
    // The normalised prefix holds only "+86" and digits, so it needs no LIKE escaping.
    query.mobilePrefix ? customersWithMobile(like(customers.mobile, `${query.mobilePrefix}%`)) : undefined,
    query.productRowId ? eq(orders.productId, query.productRowId) : undefined,
    query.merchantAccountRowId ? eq(orders.merchantAccountId, query.merchantAccountRowId) : undefined,
    query.campaignRowId ? eq(orders.campaignId, query.campaignRowId) : undefined,
    query.pageId ? eq(orders.pageId, query.pageId) : undefined,
    query.statuses?.length ? inArray(orders.status, query.statuses) : undefined,
    query.createdFrom ? gte(orders.createdAt, query.createdFrom) : undefined,
    query.createdBefore ? lt(orders.createdAt, query.createdBefore) : undefined,
  ];
}

function sortColumn(field: OrderSortField) {
  return field === "CREATED_AT" ? orders.createdAt : orders.totalAmount;
}

/** Build the cursor of a row from its sort key and id. */
export function orderCursorOf(row: OrderRow, sort: OrderSort): Cursor {
  return { key: sort.field === "CREATED_AT" ? row.createdAt.toISOString() : row.totalAmount, id: row.id };
}

function afterCondition(sort: OrderSort, after: Cursor): SQL {
  const beyond = sort.direction === "DESC" ? lt : gt;
  if (sort.field === "CREATED_AT") {
    const key = typeof after.key === "string" ? new Date(after.key) : undefined;
    if (!key || Number.isNaN(key.getTime())) throw invalidCursor(after);
    return or(beyond(orders.createdAt, key), and(eq(orders.createdAt, key), beyond(orders.id, after.id)))!;
  }

  if (typeof after.key !== "number") throw invalidCursor(after);
  return or(beyond(orders.totalAmount, after.key), and(eq(orders.totalAmount, after.key), beyond(orders.id, after.id)))!;
}

function invalidCursor(after: Cursor): DomainError {
  return new DomainError("BAD_USER_INPUT", "INVALID_CURSOR", "error.invalidCursor", { cursor: JSON.stringify(after) }, { field: "after" });
}

/**
 * List one page of orders in the given order, after `after`. Ties on the sort key are broken by id, so
 * paging (and the export, which pages the same way) never skips or repeats a row.
 */
export async function listOrderRows(
  scope: TenantScope,
  query: OrderQuery,
  sort: OrderSort,
  after: Cursor | undefined,
  limit: number,
): Promise<OrderRow[]> {
  const direction = sort.direction === "DESC" ? desc : asc;
  return scope.db
    .select()
    .from(orders)
    .where(scope.where(orders, ...filterConditions(scope, query), after ? afterCondition(sort, after) : undefined))
    .orderBy(direction(sortColumn(sort.field)), direction(orders.id))
    .limit(limit);
}

export async function countOrders(scope: TenantScope, query: OrderQuery): Promise<number> {
  const [row] = await scope.db
    .select({ total: count() })
    .from(orders)
    .where(scope.where(orders, ...filterConditions(scope, query)));
  return row?.total ?? 0;
}

export async function findOrderById(scope: TenantScope, id: string): Promise<OrderRow | undefined> {
  const [row] = await scope.db.select().from(orders).where(scope.where(orders, eq(orders.id, id)));
  return row;
}

export async function findOrdersByIds(scope: TenantScope, ids: readonly string[]): Promise<OrderRow[]> {
  if (ids.length === 0) return [];
  return scope.db.select().from(orders).where(scope.where(orders, inArray(orders.id, [...ids])));
}

export async function findOrderByRequest(scope: TenantScope, customerId: string, requestId: string): Promise<OrderRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(orders)
    .where(scope.where(orders, eq(orders.customerId, customerId), eq(orders.requestId, requestId)));
  return row;
}

export async function insertOrder(scope: TenantScope, values: OrderValues): Promise<OrderRow> {
  const [row] = await scope.db.insert(orders).values(scope.row(values)).returning();
  return row!;
}

/** Lock the order until the transaction ends, so concurrent notifications apply one after another. */
export async function lockOrderById(scope: TenantScope, id: string): Promise<OrderRow | undefined> {
  const [row] = await scope.db.select().from(orders).where(scope.where(orders, eq(orders.id, id))).for("update");
  return row;
}

export async function lockOrderByNo(scope: TenantScope, merchantAccountId: string, orderNo: string): Promise<OrderRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(orders)
    .where(scope.where(orders, eq(orders.merchantAccountId, merchantAccountId), eq(orders.orderNo, orderNo)))
    .for("update");
  return row;
}

export async function updateOrderRow(scope: TenantScope, id: string, changes: Partial<OrderValues>): Promise<OrderRow> {
  const [row] = await scope.db
    .update(orders)
    .set({ ...changes, updatedAt: new Date() })
    .where(scope.where(orders, eq(orders.id, id)))
    .returning();
  return row!;
}

export async function insertPromotions(scope: TenantScope, rows: Omit<typeof orderPromotions.$inferInsert, "tenantId">[]): Promise<void> {
  if (rows.length === 0) return;
  await scope.db
    .insert(orderPromotions)
    .values(rows.map((row) => scope.row(row)))
    .onConflictDoNothing();
}

export async function findPromotionsByOrderIds(scope: TenantScope, orderIds: readonly string[]): Promise<OrderPromotionRow[]> {
  if (orderIds.length === 0) return [];
  return scope.db
    .select()
    .from(orderPromotions)
    .where(scope.where(orderPromotions, inArray(orderPromotions.orderId, [...orderIds])))
    .orderBy(asc(orderPromotions.couponId));
}

/** Unpaid orders of every tenant whose time is up, oldest first. */
export async function findDueOrders(db: Database, now: Date, limit: number): Promise<{ id: string; tenantId: string }[]> {
  return db
    .select({ id: orders.id, tenantId: orders.tenantId })
    .from(orders)
    .where(and(eq(orders.status, "PENDING"), lte(orders.expiresAt, now)))
    .orderBy(asc(orders.expiresAt))
    .limit(limit);
}

/** Orders of every tenant paid after expiry without stock that have no refund yet. */
export async function findShortfallOrdersWithoutRefund(db: Database, limit: number): Promise<{ id: string; tenantId: string }[]> {
  return db
    .select({ id: orders.id, tenantId: orders.tenantId })
    .from(orders)
    .where(
      and(
        eq(orders.stockShortfall, true),
        eq(orders.status, "PAID"),
        sql`not exists (select 1 from ${orderRefunds} where ${orderRefunds.orderId} = ${orders.id} and ${orderRefunds.automatic})`,
      ),
    )
    .limit(limit);
}
