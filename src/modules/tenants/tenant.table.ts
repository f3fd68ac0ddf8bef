import { pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "../../db/columns.js";

/** Settings of a tenant (a brand). A tenant without a row uses the server defaults. */
export const tenants = pgTable("tenants", {
  id: text("id").primaryKey(),
  /** IANA zone for daily limits and daily statistics; null means DEFAULT_TIME_ZONE. */
  timeZone: text("time_zone"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
