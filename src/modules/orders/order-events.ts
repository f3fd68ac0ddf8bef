import { eq } from "drizzle-orm";
import type { TenantScope } from "../../db/tenant-scope.js";
import { customers } from "../customers/customer.table.js";
import { customerEventKey, recordCustomerEvent, type CustomerEventType } from "../events/customer-event.recorder.js";
import type { OrderRow } from "./order.tables.js";

/**
 * Record an order's customer event inside the caller's transaction. The key is built from the type and
 * `objectId` (the order's or the refund's row id), so a repeated notification records nothing new.
 */
export async function recordOrderEvent(
  tx: TenantScope,
  order: OrderRow,
  event: {
    type: Extract<CustomerEventType, "ORDER_CREATED" | "ORDER_PAID" | "ORDER_REFUNDED">;
    objectId: string;
    occurredAt: Date;
    amount: number;
    attributes?: Record<string, unknown>;
  },
): Promise<boolean> {
  const [customer] = await tx.db.select({ mobile: customers.mobile }).from(customers).where(tx.where(customers, eq(customers.id, order.customerId)));
  return recordCustomerEvent(tx.db, tx.tenantId, {
    eventKey: customerEventKey(event.type, event.objectId),
    type: event.type,
    occurredAt: event.occurredAt,
    source: event.type === "ORDER_CREATED" ? "PAGE" : "PAYMENT",
    customerId: order.customerId,
    openid: order.openid,
    mobile: customer?.mobile ?? null,
    campaignId: order.campaignId,
    merchantAccountId: order.merchantAccountId,
    orderId: order.id,
    productId: order.productId,
    wechatObjectId: event.type === "ORDER_CREATED" ? order.orderNo : order.transactionId,
    amount: event.amount,
    attributes: { orderNo: order.orderNo, quantity: order.quantity, pageId: order.pageId, ...event.attributes },
  });
}
