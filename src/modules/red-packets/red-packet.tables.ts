import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, primaryId, tenantId, updatedAt } from "../../db/columns.js";
import { payoutChannels } from "../merchants/merchant-account.table.js";

export const redPacketStatuses = ["ACTIVE", "DELETED"] as const;
export type RedPacketStatus = (typeof redPacketStatuses)[number];

export const amountModes = ["FIXED", "RANDOM"] as const;
export type AmountMode = (typeof amountModes)[number];

export const redPacketSceneIds = ["PRODUCT_1", "PRODUCT_2", "PRODUCT_3", "PRODUCT_4", "PRODUCT_5", "PRODUCT_6", "PRODUCT_7", "PRODUCT_8"] as const;
export type RedPacketSceneId = (typeof redPacketSceneIds)[number];

export const noticeChannels = ["TEMPLATE_MESSAGE", "SMS"] as const;
export type NoticeChannel = (typeof noticeChannels)[number];

/**
 * The settings of one cash red packet and its lifetime counters. Quota is taken with a conditional
 * UPDATE of this row (see quota.repository.ts), so the row lock serialises every reservation, release
 * and settings change of one red packet. Amounts are fen.
 */
export const redPackets = pgTable(
  "red_packets",
  {
    id: primaryId(),
    tenantId: tenantId(),
    /** Internal name, shown only to staff. */
    name: text("name").notNull(),
    campaignId: uuid("campaign_id").notNull(),
    merchantAccountId: uuid("merchant_account_id").notNull(),
    /** WeChat Pay act_name, at most 32 characters. */
    actName: text("act_name").notNull(),
    /** WeChat Pay send_name, at most 32 characters. */
    sendName: text("send_name").notNull(),
    /** WeChat Pay wishing, at most 128 characters. */
    wishing: text("wishing").notNull(),
    /** WeChat Pay remark, at most 256 characters. */
    remark: text("remark"),
    sceneId: text("scene_id", { enum: redPacketSceneIds }),
    amountMode: text("amount_mode", { enum: amountModes }).notNull(),
    /** Equal to maxAmount for a fixed amount. */
    minAmount: bigint("min_amount", { mode: "number" }).notNull(),
    maxAmount: bigint("max_amount", { mode: "number" }).notNull(),

    /** Limits; null means unlimited. Daily limits count per local day of the tenant's time zone. */
    totalCountLimit: bigint("total_count_limit", { mode: "number" }),
    totalAmountLimit: bigint("total_amount_limit", { mode: "number" }),
    dailyCountLimit: bigint("daily_count_limit", { mode: "number" }),
    dailyAmountLimit: bigint("daily_amount_limit", { mode: "number" }),
    /** Percentage of a limit whose crossing records a quota warning; null turns warnings off. */
    warningThresholdPercent: integer("warning_threshold_percent"),

    failureNoticeEnabled: boolean("failure_notice_enabled").notNull().default(false),
    failureNoticeChannel: text("failure_notice_channel", { enum: noticeChannels }),
    failureNoticeText: text("failure_notice_text"),

    status: text("status", { enum: redPacketStatuses }).notNull().default("ACTIVE"),
    /** Time of the first reservation; from then on amounts, account and campaign are frozen. */
    sendingStartedAt: timestamp("sending_started_at", { withTimezone: true }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),

    /** Grants whose quota is held while the payout is in flight. */
    reservedCount: bigint("reserved_count", { mode: "number" }).notNull().default(0),
    reservedAmount: bigint("reserved_amount", { mode: "number" }).notNull().default(0),
    /** Grants WeChat Pay accepted, including those claimed or refunded later. */
    issuedCount: bigint("issued_count", { mode: "number" }).notNull().default(0),
    issuedAmount: bigint("issued_amount", { mode: "number" }).notNull().default(0),
    claimedCount: bigint("claimed_count", { mode: "number" }).notNull().default(0),
    claimedAmount: bigint("claimed_amount", { mode: "number" }).notNull().default(0),
    refundedCount: bigint("refunded_count", { mode: "number" }).notNull().default(0),
    refundedAmount: bigint("refunded_amount", { mode: "number" }).notNull().default(0),
    failedCount: bigint("failed_count", { mode: "number" }).notNull().default(0),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index("red_packets_tenant_created_idx").on(table.tenantId, table.createdAt, table.id),
    index("red_packets_tenant_campaign_idx").on(table.tenantId, table.campaignId),
    check("red_packets_counters_non_negative", sql`${table.reservedCount} >= 0 and ${table.reservedAmount} >= 0`),
    check("red_packets_amount_range", sql`${table.minAmount} > 0 and ${table.minAmount} <= ${table.maxAmount}`),
  ],
);

export type RedPacketRow = typeof redPackets.$inferSelect;

/** Counters of one red packet on one local day (YYYY-MM-DD in the tenant's time zone). */
export const redPacketDailyCounters = pgTable(
  "red_packet_daily_counters",
  {
    redPacketId: uuid("red_packet_id").notNull(),
    day: text("day").notNull(),
    tenantId: tenantId(),
    reservedCount: bigint("reserved_count", { mode: "number" }).notNull().default(0),
    reservedAmount: bigint("reserved_amount", { mode: "number" }).notNull().default(0),
    issuedCount: bigint("issued_count", { mode: "number" }).notNull().default(0),
    issuedAmount: bigint("issued_amount", { mode: "number" }).notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.redPacketId, table.day] }),
    check("red_packet_daily_counters_non_negative", sql`${table.reservedCount} >= 0 and ${table.reservedAmount} >= 0`),
  ],
);

export type RedPacketDailyCounterRow = typeof redPacketDailyCounters.$inferSelect;

export const grantStatuses = ["RESERVED", "ISSUED", "CLAIMED", "REFUNDED", "FAILED"] as const;
export type GrantStatus = (typeof grantStatuses)[number];

export const grantSources = ["WORKFLOW", "LUCKY_DRAW", "FORM"] as const;
export type GrantSource = (typeof grantSources)[number];

/**
 * One red packet for one customer. The row, its amount, its request number and the exact request body
 * are stored before WeChat Pay is called. Every retry (inline, after a restart, or by the recovery
 * sweep) therefore sends the same mch_billno or out_bill_no with the same body, and nothing is paid twice.
 */
export const redPacketGrants = pgTable(
  "red_packet_grants",
  {
    id: primaryId(),
    tenantId: tenantId(),
    redPacketId: uuid("red_packet_id").notNull(),
    campaignId: uuid("campaign_id").notNull(),
    merchantAccountId: uuid("merchant_account_id").notNull(),
    customerId: uuid("customer_id").notNull(),
    appid: text("appid").notNull(),
    openid: text("openid").notNull(),
    /** E.164 mobile number, when the caller gave one. */
    mobile: text("mobile"),
    source: text("source", { enum: grantSources }).notNull(),
    /** Caller's idempotency key; for workflow sends `job:<job id>:<position>`. */
    idempotencyKey: text("idempotency_key").notNull(),
    jobId: uuid("job_id"),
    jobPosition: integer("job_position"),
    channel: text("channel", { enum: payoutChannels }).notNull(),
    /** Fen, drawn once per grant, so a retry pays the same amount. */
    amount: bigint("amount", { mode: "number" }).notNull(),
    /** Local day whose daily counters hold this grant's quota; null when no quota was taken. */
    quotaDay: text("quota_day"),
    /** Source of the 10-digit serial in the request number. */
    billSerial: bigserial("bill_serial", { mode: "number" }).notNull(),
    /** mch_billno or out_bill_no; null when no quota was taken and WeChat Pay was never called. */
    requestNo: text("request_no"),
    /** The request body sent for every attempt (without nonce and signature). */
    request: jsonb("request").$type<Record<string, unknown>>(),
    status: text("status", { enum: grantStatuses }).notNull(),
    failureCode: text("failure_code"),
    failureMessage: text("failure_message"),
    /** True when the grant failed because a limit (ours or WeChat Pay's) was reached. */
    limitReached: boolean("limit_reached").notNull().default(false),
    /** send_listid for a cash red packet, transfer_bill_no for a merchant transfer. */
    wechatId: text("wechat_id"),
    /** Last status WeChat Pay reported: SENT, RECEIVED, REFUND, WAIT_USER_CONFIRM, SUCCESS, … */
    wechatState: text("wechat_state"),
    /** Merchant transfer package_info for the customer's confirmation page. */
    packageInfo: text("package_info"),
    attempts: integer("attempts").notNull().default(0),
    /** Database time until which one worker owns the grant's next step. */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    /** Database time before which the recovery sweep leaves the grant alone. */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    issuedAt: timestamp("issued_at", { withTimezone: true }),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    refundedAt: timestamp("refunded_at", { withTimezone: true }),
    failedAt: timestamp("failed_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("red_packet_grants_idempotency_key").on(table.tenantId, table.redPacketId, table.idempotencyKey),
    uniqueIndex("red_packet_grants_request_no_key").on(table.merchantAccountId, table.requestNo),
    index("red_packet_grants_tenant_packet_created_idx").on(table.tenantId, table.redPacketId, table.createdAt, table.id),
    index("red_packet_grants_tenant_customer_idx").on(table.tenantId, table.appid, table.openid, table.status),
    index("red_packet_grants_status_idx").on(table.status, table.nextAttemptAt),
    index("red_packet_grants_job_idx").on(table.jobId, table.jobPosition),
  ],
);

export type RedPacketGrantRow = typeof redPacketGrants.$inferSelect;

export const quotaLimitKinds = ["TOTAL_COUNT", "TOTAL_AMOUNT", "DAILY_COUNT", "DAILY_AMOUNT"] as const;
export type QuotaLimitKind = (typeof quotaLimitKinds)[number];

/** A limit's usage crossing the red packet's warning threshold; one row per crossing. */
export const redPacketQuotaWarnings = pgTable(
  "red_packet_quota_warnings",
  {
    id: primaryId(),
    tenantId: tenantId(),
    redPacketId: uuid("red_packet_id").notNull(),
    limitKind: text("limit_kind", { enum: quotaLimitKinds }).notNull(),
    /** Local day for daily limits; null for total limits. */
    day: text("day"),
    thresholdPercent: integer("threshold_percent").notNull(),
    /** Count or fen used (reserved and issued) right after the crossing. */
    used: bigint("used", { mode: "number" }).notNull(),
    limit: bigint("limit", { mode: "number" }).notNull(),
    grantId: uuid("grant_id").notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("red_packet_quota_warnings_tenant_created_idx").on(table.tenantId, table.createdAt, table.id)],
);

export type RedPacketQuotaWarningRow = typeof redPacketQuotaWarnings.$inferSelect;

/** One comparison of recorded grants with WeChat Pay. */
export const redPacketReconciliationRuns = pgTable(
  "red_packet_reconciliation_runs",
  {
    id: primaryId(),
    tenantId: tenantId(),
    jobId: uuid("job_id").notNull(),
    checkedGrants: integer("checked_grants").notNull().default(0),
    updatedGrants: integer("updated_grants").notNull().default(0),
    mismatches: integer("mismatches").notNull().default(0),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (table) => [
    uniqueIndex("red_packet_reconciliation_runs_job_key").on(table.jobId),
    index("red_packet_reconciliation_runs_tenant_started_idx").on(table.tenantId, table.startedAt),
  ],
);

export type RedPacketReconciliationRunRow = typeof redPacketReconciliationRuns.$inferSelect;

export const mismatchKinds = [
  "MISSING_AT_WECHATPAY",
  "PAID_BUT_RECORDED_FAILED",
  "AMOUNT_DIFFERS",
  "STATE_DIFFERS",
  "STUCK_RESERVED",
  "QUERY_FAILED",
] as const;
export type MismatchKind = (typeof mismatchKinds)[number];

/** A difference between a recorded grant and what WeChat Pay reports for its request number. */
export const redPacketReconciliationMismatches = pgTable(
  "red_packet_reconciliation_mismatches",
  {
    id: primaryId(),
    tenantId: tenantId(),
    runId: uuid("run_id").notNull(),
    grantId: uuid("grant_id").notNull(),
    redPacketId: uuid("red_packet_id").notNull(),
    kind: text("kind", { enum: mismatchKinds }).notNull(),
    recordedStatus: text("recorded_status").notNull(),
    recordedAmount: bigint("recorded_amount", { mode: "number" }).notNull(),
    wechatState: text("wechat_state"),
    wechatAmount: bigint("wechat_amount", { mode: "number" }),
    detail: text("detail"),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("red_packet_reconciliation_mismatches_key").on(table.runId, table.grantId, table.kind),
    index("red_packet_reconciliation_mismatches_tenant_created_idx").on(table.tenantId, table.createdAt, table.id),
  ],
);

export type RedPacketReconciliationMismatchRow = typeof redPacketReconciliationMismatches.$inferSelect;
