import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, primaryId, tenantId, updatedAt } from "../../db/columns.js";

/**
 * Lifecycle of an order; see order-status.ts for the allowed transitions.
 * - PENDING: stock reserved, waiting for the payment.
 * - PAID: paid in full, nothing refunded yet.
 * - EXPIRED: not paid in time; closed and its stock released.
 * - CANCELLED: WeChat Pay rejected the order, so it could never be paid; its stock is released.
 * - PARTIALLY_REFUNDED / REFUNDED: some or all of the paid amount went back.
 */
export const orderStatuses = ["PENDING", "PAID", "EXPIRED", "CANCELLED", "PARTIALLY_REFUNDED", "REFUNDED"] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/**
 * An order placed by a customer on a WeChat page for one product, paid by JSAPI payment. The row is
 * written, with its `orderNo` (out_trade_no), before WeChat Pay is called, so every notification and
 * query finds it. Amounts are fen.
 */
export const orders = pgTable(
  "orders",
  {
    id: primaryId(),
    tenantId: tenantId(),
    /** out_trade_no at WeChat Pay: 6–32 characters, unique across all merchants here. */
    orderNo: text("order_no").notNull(),
    merchantAccountId: uuid("merchant_account_id").notNull(),
    productId: uuid("product_id").notNull(),
    customerId: uuid("customer_id").notNull(),
    campaignId: uuid("campaign_id"),
    /** Id of the WeChat page the order was placed on, as the page editor names it. */
    pageId: text("page_id"),
    appid: text("appid").notNull(),
    openid: text("openid").notNull(),
    /** The customer's idempotency key: checking out again with it returns this order. */
    requestId: text("request_id").notNull(),

    productName: text("product_name").notNull(),
    quantity: integer("quantity").notNull(),
    unitPrice: bigint("unit_price", { mode: "number" }).notNull(),
    /** amount.total sent to WeChat Pay: unit price times quantity. */
    totalAmount: bigint("total_amount", { mode: "number" }).notNull(),

    status: text("status", { enum: orderStatuses }).notNull().default("PENDING"),
    /** True while `quantity` is subtracted from the product's stock on behalf of this order. */
    stockHeld: boolean("stock_held").notNull().default(true),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** time_expire exactly as sent, so a repeated order call carries the identical body. */
    timeExpire: text("time_expire").notNull(),
    prepayId: text("prepay_id"),

    transactionId: text("transaction_id"),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    /** amount.payer_total: what the customer paid after vouchers. */
    payerTotal: bigint("payer_total", { mode: "number" }),
    /** Voucher deductions: total minus payer_total. */
    discountAmount: bigint("discount_amount", { mode: "number" }).notNull().default(0),
    /** The payment arrived after the order had expired. */
    paidAfterExpiry: boolean("paid_after_expiry").notNull().default(false),
    /** Paid after expiry when the stock was gone, so it is refunded in full automatically. */
    stockShortfall: boolean("stock_shortfall").notNull().default(false),
    /** Sum of successful refunds. */
    refundedAmount: bigint("refunded_amount", { mode: "number" }).notNull().default(0),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("orders_order_no_key").on(table.orderNo),
    uniqueIndex("orders_tenant_customer_request_key").on(table.tenantId, table.customerId, table.requestId),
    index("orders_tenant_created_idx").on(table.tenantId, table.createdAt, table.id),
    index("orders_tenant_product_created_idx").on(table.tenantId, table.productId, table.createdAt),
    index("orders_tenant_customer_created_idx").on(table.tenantId, table.customerId, table.createdAt),
    index("orders_tenant_campaign_created_idx").on(table.tenantId, table.campaignId, table.createdAt),
    index("orders_tenant_page_created_idx").on(table.tenantId, table.pageId, table.createdAt),
    index("orders_pending_expiry_idx").on(table.expiresAt).where(sql`${table.status} = 'PENDING'`),
    check("orders_quantity_positive", sql`${table.quantity} > 0`),
    check("orders_refunded_within_total", sql`${table.refundedAmount} <= ${table.totalAmount}`),
  ],
);

export type OrderRow = typeof orders.$inferSelect;

/** One voucher deduction of a paid order, from the payment's promotion_detail. Amounts in fen. */
export const orderPromotions = pgTable(
  "order_promotions",
  {
    orderId: uuid("order_id").notNull(),
    couponId: text("coupon_id").notNull(),
    tenantId: tenantId(),
    stockId: text("stock_id"),
    name: text("name"),
    /** GLOBAL or SINGLE. */
    scope: text("scope"),
    /** CASH (pre-funded) or NOCASH. */
    type: text("type"),
    amount: bigint("amount", { mode: "number" }).notNull(),
    wechatpayContribute: bigint("wechatpay_contribute", { mode: "number" }),
    merchantContribute: bigint("merchant_contribute", { mode: "number" }),
    otherContribute: bigint("other_contribute", { mode: "number" }),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.orderId, table.couponId] })],
);

export type OrderPromotionRow = typeof orderPromotions.$inferSelect;

/**
 * Lifecycle of a refund; see order-status.ts for the allowed transitions.
 * - SUBMITTING: stored, WeChat Pay's response not known yet; resubmitted with the same out_refund_no.
 * - PROCESSING: accepted by WeChat Pay.
 * - SUCCESS, CLOSED, ABNORMAL: WeChat Pay's final states (ABNORMAL needs the merchant's attention).
 * - REJECTED: WeChat Pay refused the request; nothing was refunded.
 */
export const refundStatuses = ["SUBMITTING", "PROCESSING", "SUCCESS", "CLOSED", "ABNORMAL", "REJECTED"] as const;
export type RefundStatus = (typeof refundStatuses)[number];

export const orderRefunds = pgTable(
  "order_refunds",
  {
    id: primaryId(),
    tenantId: tenantId(),
    orderId: uuid("order_id").notNull(),
    /** out_refund_no at WeChat Pay, unique across all merchants here. */
    refundNo: text("refund_no").notNull(),
    /** Caller's idempotency key, unique per order. */
    requestId: text("request_id").notNull(),
    amount: bigint("amount", { mode: "number" }).notNull(),
    reason: text("reason"),
    /** Started by the server itself, as for a late payment without stock. */
    automatic: boolean("automatic").notNull().default(false),
    status: text("status", { enum: refundStatuses }).notNull().default("SUBMITTING"),
    /** WeChat Pay's refund_id. */
    refundId: text("refund_id"),
    /** The part of the refund returned to the payer (the rest goes back to the voucher). */
    payerRefund: bigint("payer_refund", { mode: "number" }),
    failureCode: text("failure_code"),
    failureMessage: text("failure_message"),
    succeededAt: timestamp("succeeded_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("order_refunds_refund_no_key").on(table.refundNo),
    uniqueIndex("order_refunds_tenant_order_request_key").on(table.tenantId, table.orderId, table.requestId),
    index("order_refunds_tenant_order_idx").on(table.tenantId, table.orderId),
    index("order_refunds_open_idx").on(table.updatedAt).where(sql`${table.status} in ('SUBMITTING', 'PROCESSING')`),
    check("order_refunds_amount_positive", sql`${table.amount} > 0`),
  ],
);

export type OrderRefundRow = typeof orderRefunds.$inferSelect;
