import { index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, primaryId, tenantId, updatedAt } from "../../db/columns.js";

export const campaignStatuses = ["DRAFT", "ACTIVE", "PAUSED", "ENDED"] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

export const campaigns = pgTable(
  "campaigns",
  {
    id: primaryId(),
    tenantId: tenantId(),
    name: text("name").notNull(),
    status: text("status", { enum: campaignStatuses }).notNull().default("DRAFT"),
    startsAt: timestamp("starts_at", { withTimezone: true }),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    /** Id of the same campaign in the wider marketing platform, when it was created there. */
    externalId: text("external_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index("campaigns_tenant_created_idx").on(table.tenantId, table.createdAt, table.id),
    uniqueIndex("campaigns_tenant_external_id_key").on(table.tenantId, table.externalId),
  ],
);

export type CampaignRow = typeof campaigns.$inferSelect;
