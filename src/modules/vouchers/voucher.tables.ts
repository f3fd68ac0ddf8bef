import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, primaryId, tenantId, updatedAt } from "../../db/columns.js";

/**
 * A voucher batch (代金券批次) that the brand created on the WeChat Pay merchant platform and registered here
 * by stock_id. The WeChat Pay fields are a copy refreshed by sync; the counters are ours.
 */
export const voucherBatches = pgTable(
  "voucher_batches",
  {
    id: primaryId(),
    tenantId: tenantId(),
    merchantAccountId: uuid("merchant_account_id").notNull(),
    campaignId: uuid("campaign_id"),
    stockId: text("stock_id").notNull(),
    stockCreatorMchid: text("stock_creator_mchid").notNull(),

    name: text("name").notNull(),
    /** WeChat Pay's status: unactivated, audit, running, stoped (sic) or paused. */
    wechatStatus: text("wechat_status").notNull(),
    couponAmount: bigint("coupon_amount", { mode: "number" }),
    transactionMinimum: bigint("transaction_minimum", { mode: "number" }),
    maxCoupons: bigint("max_coupons", { mode: "number" }),
    maxAmount: bigint("max_amount", { mode: "number" }),
    maxAmountByDay: bigint("max_amount_by_day", { mode: "number" }),
    maxCouponsPerUser: integer("max_coupons_per_user"),
    distributedCoupons: bigint("distributed_coupons", { mode: "number" }).notNull().default(0),
    startTime: timestamp("start_time", { withTimezone: true }),
    stopTime: timestamp("stop_time", { withTimezone: true }),
    availableBeginTime: timestamp("available_begin_time", { withTimezone: true }),
    availableEndTime: timestamp("available_end_time", { withTimezone: true }),
    syncedAt: timestamp("synced_at", { withTimezone: true }).notNull(),

    issuedCount: bigint("issued_count", { mode: "number" }).notNull().default(0),
    collectedCount: bigint("collected_count", { mode: "number" }).notNull().default(0),
    redeemedCount: bigint("redeemed_count", { mode: "number" }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("voucher_batches_tenant_stock_key").on(table.tenantId, table.stockId),
    index("voucher_batches_tenant_created_idx").on(table.tenantId, table.createdAt, table.id),
    index("voucher_batches_tenant_campaign_idx").on(table.tenantId, table.campaignId),
  ],
);

export type VoucherBatchRow = typeof voucherBatches.$inferSelect;

export const popupKinds = ["MESSAGE", "PICTURE"] as const;
export type PopupKind = (typeof popupKinds)[number];

/** A coupon module placed on a WeChat page by the page editor. */
export const voucherModules = pgTable(
  "voucher_modules",
  {
    id: primaryId(),
    tenantId: tenantId(),
    pageId: text("page_id").notNull(),
    moduleKey: text("module_key").notNull(),
    batchId: uuid("batch_id").notNull(),
    campaignId: uuid("campaign_id"),
    popupKind: text("popup_kind", { enum: popupKinds }).notNull(),
    popupMessage: text("popup_message"),
    popupPictureUrl: text("popup_picture_url"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex("voucher_modules_tenant_page_module_key").on(table.tenantId, table.pageId, table.moduleKey)],
);

export type VoucherModuleRow = typeof voucherModules.$inferSelect;

export const voucherGrantStatuses = ["PENDING", "ISSUED", "FAILED", "UNKNOWN"] as const;
export type VoucherGrantStatus = (typeof voucherGrantStatuses)[number];

export const voucherGrantSources = ["PAGE", "WORKFLOW"] as const;
export type VoucherGrantSource = (typeof voucherGrantSources)[number];

/**
 * One voucher send to one customer. The row is written before WeChat Pay is called and carries the
 * out_request_no used for every attempt, so a retry, a replayed job or a restart never sends a second one.
 */
export const voucherGrants = pgTable(
  "voucher_grants",
  {
    id: primaryId(),
    tenantId: tenantId(),
    batchId: uuid("batch_id").notNull(),
    customerId: uuid("customer_id").notNull(),
    campaignId: uuid("campaign_id"),
    source: text("source", { enum: voucherGrantSources }).notNull(),
    /** Caller's idempotency key: the page's claim request id, or the workflow job key and item. */
    requestKey: text("request_key").notNull(),
    outRequestNo: text("out_request_no").notNull(),
    status: text("status", { enum: voucherGrantStatuses }).notNull().default("PENDING"),
    couponId: text("coupon_id"),
    failureCode: text("failure_code"),
    failureMessage: text("failure_message"),
    attempts: integer("attempts").notNull().default(0),
    moduleId: uuid("module_id"),
    jobId: uuid("job_id"),
    issuedAt: timestamp("issued_at", { withTimezone: true }),
    redeemedAt: timestamp("redeemed_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("voucher_grants_tenant_request_key").on(table.tenantId, table.batchId, table.customerId, table.requestKey),
    uniqueIndex("voucher_grants_out_request_no_key").on(table.tenantId, table.outRequestNo),
    index("voucher_grants_tenant_customer_batch_idx").on(table.tenantId, table.customerId, table.batchId),
    index("voucher_grants_tenant_coupon_idx").on(table.tenantId, table.couponId),
    index("voucher_grants_unsettled_idx").on(table.status, table.updatedAt),
  ],
);

export type VoucherGrantRow = typeof voucherGrants.$inferSelect;
