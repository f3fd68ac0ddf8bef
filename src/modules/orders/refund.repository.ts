import { and, asc, eq, inArray, lt } from "drizzle-orm";
import type { Database } from "../../db/database.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import { orderRefunds, type OrderRefundRow, type RefundStatus } from "./order.tables.js";

type RefundValues = Omit<typeof orderRefunds.$inferInsert, "tenantId" | "id">;

export async function findRefundByRequest(scope: TenantScope, orderId: string, requestId: string): Promise<OrderRefundRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(orderRefunds)
    .where(scope.where(orderRefunds, eq(orderRefunds.orderId, orderId), eq(orderRefunds.requestId, requestId)));
  return row;
}

export async function findRefundById(scope: TenantScope, id: string): Promise<OrderRefundRow | undefined> {
  const [row] = await scope.db.select().from(orderRefunds).where(scope.where(orderRefunds, eq(orderRefunds.id, id)));
  return row;
}

export async function findRefundByNo(scope: TenantScope, refundNo: string): Promise<OrderRefundRow | undefined> {
  const [row] = await scope.db.select().from(orderRefunds).where(scope.where(orderRefunds, eq(orderRefunds.refundNo, refundNo)));
  return row;
}

export async function lockRefundById(scope: TenantScope, id: string): Promise<OrderRefundRow | undefined> {
  const [row] = await scope.db.select().from(orderRefunds).where(scope.where(orderRefunds, eq(orderRefunds.id, id))).for("update");
  return row;
}

export async function findRefundsByOrderIds(scope: TenantScope, orderIds: readonly string[]): Promise<OrderRefundRow[]> {
  if (orderIds.length === 0) return [];
  return scope.db
    .select()
    .from(orderRefunds)
    .where(scope.where(orderRefunds, inArray(orderRefunds.orderId, [...orderIds])))
    .orderBy(asc(orderRefunds.createdAt), asc(orderRefunds.id));
}

export async function insertRefund(scope: TenantScope, values: RefundValues): Promise<OrderRefundRow> {
  const [row] = await scope.db.insert(orderRefunds).values(scope.row(values)).returning();
  return row!;
}

export async function updateRefundRow(scope: TenantScope, id: string, changes: Partial<RefundValues>): Promise<OrderRefundRow> {
  const [row] = await scope.db
    .update(orderRefunds)
    .set({ ...changes, updatedAt: new Date() })
    .where(scope.where(orderRefunds, eq(orderRefunds.id, id)))
    .returning();
  return row!;
}

/** Refunds of every tenant left in `status` since before `before`, oldest first. */
export async function findStaleRefunds(
  db: Database,
  status: Extract<RefundStatus, "SUBMITTING" | "PROCESSING">,
  before: Date,
  limit: number,
): Promise<{ id: string; tenantId: string }[]> {
  return db
    .select({ id: orderRefunds.id, tenantId: orderRefunds.tenantId })
    .from(orderRefunds)
    .where(and(eq(orderRefunds.status, status), lt(orderRefunds.updatedAt, before)))
    .orderBy(asc(orderRefunds.updatedAt))
    .limit(limit);
}
