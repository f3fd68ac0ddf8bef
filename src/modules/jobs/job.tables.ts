import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid, primaryKey } from "drizzle-orm/pg-core";
import { createdAt, primaryId, tenantId, updatedAt } from "../../db/columns.js";

export const jobStatuses = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;
export type JobStatus = (typeof jobStatuses)[number];

/**
 * A durable background job. Workers claim jobs with a lease (`lockedUntil`). A job whose worker died is
 * claimed again once the lease runs out, and its handler resumes from the items not yet finished.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: primaryId(),
    tenantId: tenantId(),
    kind: text("kind").notNull(),
    /** Caller's idempotency key: submitting the same key again returns the existing job. */
    idempotencyKey: text("idempotency_key").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: jobStatuses }).notNull().default("QUEUED"),
    totalItems: integer("total_items").notNull().default(0),
    processedItems: integer("processed_items").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    runAfter: timestamp("run_after", { withTimezone: true }).notNull().defaultNow(),
    lockedBy: text("locked_by"),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    result: jsonb("result").$type<Record<string, unknown>>(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("jobs_tenant_kind_key").on(table.tenantId, table.kind, table.idempotencyKey),
    index("jobs_claimable_idx").on(table.status, table.runAfter),
  ],
);

export type JobRow = typeof jobs.$inferSelect;

export const jobItemStatuses = ["PENDING", "DONE"] as const;

/** One unit of a bulk job (one customer), with its branchable outcome once done. */
export const jobItems = pgTable(
  "job_items",
  {
    jobId: uuid("job_id").notNull(),
    position: integer("position").notNull(),
    tenantId: tenantId(),
    input: jsonb("input").$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: jobItemStatuses }).notNull().default("PENDING"),
    /** Branchable outcome, such as ISSUED, LIMIT_REACHED or FAILED. */
    outcome: text("outcome"),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
    updatedAt: updatedAt(),
  },
  (table) => [primaryKey({ columns: [table.jobId, table.position] }), index("job_items_pending_idx").on(table.jobId, table.status)],
);

export type JobItemRow = typeof jobItems.$inferSelect;

/**
 * Short leases that serialise work on one key across server instances, such as voucher sends to one
 * openid, because WeChat Pay rejects concurrent sends to the same user with a spurious limit error.
 */
export const keyLeases = pgTable("key_leases", {
  key: text("key").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
});
