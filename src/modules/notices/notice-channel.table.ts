import { boolean, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, primaryId, tenantId, updatedAt } from "../../db/columns.js";
import { failureNoticeChannels } from "./failure-notice.table.js";

/**
 * Destination of a tenant's failure notices per channel: the tenant's own messaging gateway. A tenant
 * with no enabled row for a channel keeps that channel's notices in the outbox.
 */
export const noticeChannelSettings = pgTable(
  "notice_channel_settings",
  {
    id: primaryId(),
    tenantId: tenantId(),
    channel: text("channel", { enum: failureNoticeChannels }).notNull(),
    endpointUrl: text("endpoint_url").notNull(),
    /** Template id from the official account's template library, set for TEMPLATE_MESSAGE only. */
    templateId: text("template_id"),
    /** The HMAC signing secret, sealed with AES-256-GCM under the server key and bound to tenant and channel. */
    sealedSecret: text("sealed_secret").notNull(),
    secretFingerprint: text("secret_fingerprint").notNull(),
    enabled: boolean("enabled").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex("notice_channel_settings_channel_key").on(table.tenantId, table.channel)],
);

export type NoticeChannelSettingRow = typeof noticeChannelSettings.$inferSelect;
