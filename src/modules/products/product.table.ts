import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, primaryId, tenantId, updatedAt } from "../../db/columns.js";

export const productStatuses = ["ON_SALE", "OFF_SALE"] as const;
export type ProductStatus = (typeof productStatuses)[number];

/** A free-form property shown with a product, such as 颜色 = 红色. */
export interface ProductAttribute {
  key: string;
  value: string;
}

/**
 * A product sold on WeChat pages and paid through the merchant account it names. `stock` is the number
 * still for sale: checkout subtracts from it with a conditional UPDATE, and the CHECK constraint keeps
 * it from going below zero whatever the code does.
 */
export const products = pgTable(
  "products",
  {
    id: primaryId(),
    tenantId: tenantId(),
    merchantAccountId: uuid("merchant_account_id").notNull(),
    campaignId: uuid("campaign_id"),
    name: text("name").notNull(),
    introduction: text("introduction").notNull().default(""),
    labels: jsonb("labels").$type<string[]>().notNull().default([]),
    /** Unit price in fen. */
    price: bigint("price", { mode: "number" }).notNull(),
    stock: integer("stock").notNull(),
    status: text("status", { enum: productStatuses }).notNull().default("OFF_SALE"),
    attributes: jsonb("attributes").$type<ProductAttribute[]>().notNull().default([]),
    /** A picture hosted elsewhere, as given by the marketer. */
    pictureUrl: text("picture_url"),
    /** File name of an uploaded picture under DATA_DIR/product-pictures. */
    pictureFile: text("picture_file"),
    /** Deleted products leave lists and pages but stay readable from the orders that bought them. */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index("products_tenant_created_idx").on(table.tenantId, table.createdAt, table.id),
    index("products_tenant_merchant_idx").on(table.tenantId, table.merchantAccountId),
    check("products_stock_not_negative", sql`${table.stock} >= 0`),
    check("products_price_positive", sql`${table.price} > 0`),
  ],
);

export type ProductRow = typeof products.$inferSelect;
