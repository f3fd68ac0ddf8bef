import { sql } from "drizzle-orm";
import { text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Tenant that owns a row. Every business table has it, and every query filters on it. */
export const tenantId = () => text("tenant_id").notNull();

export const primaryId = () => uuid("id").primaryKey().default(sql`gen_random_uuid()`);

// Millisecond precision, because JavaScript dates (and so cursors built from them) carry no microseconds.
const nowMillis = sql`date_trunc('milliseconds', now())`;

export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().default(nowMillis);

export const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().default(nowMillis);
