import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, primaryId, tenantId, updatedAt } from "../../db/columns.js";

export const failureNoticeChannels = ["TEMPLATE_MESSAGE", "SMS"] as const;
export type FailureNoticeChannel = (typeof failureNoticeChannels)[number];

export const failureNoticeStatuses = ["OUTBOX", "SENT", "UNDELIVERABLE", "FAILED"] as const;
export type FailureNoticeStatus = (typeof failureNoticeStatuses)[number];

/**
 * The outbox of notices that tell a customer a red packet could not be paid. A row is inserted in the
 * same transaction that marks the grant failed, and `grantId` is unique, so each failed grant yields
 * exactly one notice however often its failure is replayed.
 */
export const failureNotices = pgTable(
  "failure_notices",
  {
    id: primaryId(),
    tenantId: tenantId(),
    grantId: uuid("grant_id").notNull(),
    redPacketId: uuid("red_packet_id").notNull(),
    customerId: uuid("customer_id").notNull(),
    channel: text("channel", { enum: failureNoticeChannels }).notNull(),
    appid: text("appid").notNull(),
    openid: text("openid").notNull(),
    mobile: text("mobile"),
    text: text("text").notNull(),
    /** The message the channel adapter built: template message body or SMS request. */
    payload: jsonb("payload").$type<Record<string, unknown>>(),
    status: text("status", { enum: failureNoticeStatuses }).notNull(),
    /** Reason the notice is undeliverable or failed, such as NO_MOBILE. */
    statusReason: text("status_reason"),
    /** The grant's failure code that caused the notice, such as DAILY_AMOUNT_LIMIT. */
    failureCode: text("failure_code").notNull(),
    attempts: integer("attempts").notNull().default(0),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("failure_notices_grant_key").on(table.tenantId, table.grantId),
    index("failure_notices_tenant_created_idx").on(table.tenantId, table.createdAt, table.id),
    index("failure_notices_status_idx").on(table.status, table.createdAt),
  ],
);

export type FailureNoticeRow = typeof failureNotices.$inferSelect;
