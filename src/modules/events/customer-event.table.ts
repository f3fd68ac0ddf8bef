import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { primaryId, tenantId } from "../../db/columns.js";

export const customerEventTypes = [
  "VOUCHER_ISSUED",
  "VOUCHER_COLLECTED",
  "VOUCHER_REDEEMED",
  "RED_PACKET_ISSUED",
  "RED_PACKET_FAILED",
  "RED_PACKET_REFUNDED",
  "ORDER_CREATED",
  "ORDER_PAID",
  "ORDER_REFUNDED",
] as const;
export type CustomerEventType = (typeof customerEventTypes)[number];

export const customerEventSources = ["PAGE", "WORKFLOW", "LUCKY_DRAW", "FORM", "PAYMENT", "WECHATPAY"] as const;
export type CustomerEventSource = (typeof customerEventSources)[number];

/**
 * Everything the product records about customers, in one append-only table. `eventKey` is derived from
 * the business ids that caused the event, so a repeated notification or job inserts nothing new.
 */
export const customerEvents = pgTable(
  "customer_events",
  {
    id: primaryId(),
    tenantId: tenantId(),
    eventKey: text("event_key").notNull(),
    type: text("type", { enum: customerEventTypes }).notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    source: text("source", { enum: customerEventSources }).notNull(),
    customerId: uuid("customer_id").notNull(),
    openid: text("openid").notNull(),
    mobile: text("mobile"),
    campaignId: uuid("campaign_id"),
    merchantAccountId: uuid("merchant_account_id"),
    voucherBatchId: uuid("voucher_batch_id"),
    redPacketId: uuid("red_packet_id"),
    orderId: uuid("order_id"),
    productId: uuid("product_id"),
    /** WeChat Pay's id of the object: coupon_id, send_listid, transfer_bill_no or transaction_id. */
    wechatObjectId: text("wechat_object_id"),
    /** Money the event moved, in fen. */
    amount: bigint("amount", { mode: "number" }),
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default({}),
  },
  (table) => [
    uniqueIndex("customer_events_tenant_event_key").on(table.tenantId, table.eventKey),
    index("customer_events_tenant_time_idx").on(table.tenantId, table.occurredAt),
    index("customer_events_tenant_type_time_idx").on(table.tenantId, table.type, table.occurredAt),
    index("customer_events_tenant_campaign_time_idx").on(table.tenantId, table.campaignId, table.occurredAt),
    index("customer_events_tenant_customer_time_idx").on(table.tenantId, table.customerId, table.occurredAt),
  ],
);

export type CustomerEventRow = typeof customerEvents.$inferSelect;
