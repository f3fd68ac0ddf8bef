import { and, count, desc, eq, gte, ilike, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { TenantScope } from "../../db/tenant-scope.js";
import type { Cursor } from "../../graphql/relay/pagination.js";
import { escapeLike } from "../campaigns/campaign.repository.js";
import { products, type ProductRow, type ProductStatus } from "./product.table.js";

export interface ProductQuery {
  search?: string | null;
  status?: ProductStatus[] | null;
  merchantAccountRowId?: string | null;
  campaignRowId?: string | null;
  label?: string | null;
}

type ProductValues = Omit<typeof products.$inferInsert, "tenantId" | "id">;

function filterConditions(query: ProductQuery): (SQL | undefined)[] {
  const pattern = query.search ? `%${escapeLike(query.search)}%` : undefined;
  return [
    isNull(products.deletedAt),
    pattern ? or(ilike(products.name, pattern), ilike(products.introduction, pattern)) : undefined,
    query.status?.length ? inArray(products.status, query.status) : undefined,
    query.merchantAccountRowId ? eq(products.merchantAccountId, query.merchantAccountRowId) : undefined,
    query.campaignRowId ? eq(products.campaignId, query.campaignRowId) : undefined,
    query.label ? sql`${products.labels} @> ${JSON.stringify([query.label])}::jsonb` : undefined,
  ];
}

/** Find a product that has not been deleted. */
export async function findProductById(scope: TenantScope, id: string): Promise<ProductRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(products)
    .where(scope.where(products, eq(products.id, id), isNull(products.deletedAt)));
  return row;
}

/** Products by id, deleted ones included, because orders keep pointing at what they bought. */
export async function findProductsByIds(scope: TenantScope, ids: readonly string[]): Promise<ProductRow[]> {
  if (ids.length === 0) return [];
  return scope.db
    .select()
    .from(products)
    .where(scope.where(products, inArray(products.id, [...ids])));
}

/** On-sale, undeleted products among the ids, as a page may show them. */
export async function findProductsOnSale(scope: TenantScope, ids: readonly string[]): Promise<ProductRow[]> {
  if (ids.length === 0) return [];
  return scope.db
    .select()
    .from(products)
    .where(scope.where(products, inArray(products.id, [...ids]), eq(products.status, "ON_SALE"), isNull(products.deletedAt)));
}

/** One page, newest first; `limit` should be the page size plus one. */
export async function listProducts(scope: TenantScope, query: ProductQuery, after: Cursor | undefined, limit: number): Promise<ProductRow[]> {
  const afterCondition = after
    ? or(
        lt(products.createdAt, new Date(after.key)),
        and(eq(products.createdAt, new Date(after.key)), lt(products.id, after.id)),
      )
    : undefined;

  return scope.db
    .select()
    .from(products)
    .where(scope.where(products, ...filterConditions(query), afterCondition))
    .orderBy(desc(products.createdAt), desc(products.id))
    .limit(limit);
}

export async function countProducts(scope: TenantScope, query: ProductQuery): Promise<number> {
  const [row] = await scope.db
    .select({ total: count() })
    .from(products)
    .where(scope.where(products, ...filterConditions(query)));
  return row?.total ?? 0;
}

export async function insertProduct(scope: TenantScope, values: ProductValues): Promise<ProductRow> {
  const [row] = await scope.db.insert(products).values(scope.row(values)).returning();
  return row!;
}

/**
 * Apply changes to an undeleted product. A stock delta is added in the same statement, and only when
 * the result stays at or above zero. Returns undefined when there is no such product or the stock would
 * go negative.
 */
export async function updateProductRow(
  scope: TenantScope,
  id: string,
  changes: Partial<ProductValues>,
  stockDelta?: number,
): Promise<ProductRow | undefined> {
  const [row] = await scope.db
    .update(products)
    .set({
      ...changes,
      ...(stockDelta ? { stock: sql`${products.stock} + ${stockDelta}` } : {}),
      updatedAt: new Date(),
    })
    .where(
      scope.where(
        products,
        eq(products.id, id),
        isNull(products.deletedAt),
        stockDelta && stockDelta < 0 ? gte(products.stock, -stockDelta) : undefined,
      ),
    )
    .returning();
  return row;
}

export async function markProductDeleted(scope: TenantScope, id: string, at: Date): Promise<ProductRow | undefined> {
  const [row] = await scope.db
    .update(products)
    .set({ deletedAt: at, status: "OFF_SALE", updatedAt: new Date() })
    .where(scope.where(products, eq(products.id, id), isNull(products.deletedAt)))
    .returning();
  return row;
}

/**
 * Take `quantity` items of an on-sale product in one conditional UPDATE, so concurrent buyers can
 * never take more than there is. Returns the product after the change, or undefined when it is not
 * on sale or has fewer items left.
 */
export async function reserveStock(scope: TenantScope, id: string, quantity: number): Promise<ProductRow | undefined> {
  const [row] = await scope.db
    .update(products)
    .set({ stock: sql`${products.stock} - ${quantity}`, updatedAt: new Date() })
    .where(
      scope.where(products, eq(products.id, id), eq(products.status, "ON_SALE"), isNull(products.deletedAt), gte(products.stock, quantity)),
    )
    .returning();
  return row;
}

/**
 * Take `quantity` items back for an order paid after it expired, whether or not the product is still on
 * sale (the customer bought it while it was). Returns false when fewer items are left.
 */
export async function retakeStock(scope: TenantScope, id: string, quantity: number): Promise<boolean> {
  const rows = await scope.db
    .update(products)
    .set({ stock: sql`${products.stock} - ${quantity}`, updatedAt: new Date() })
    .where(scope.where(products, eq(products.id, id), gte(products.stock, quantity)))
    .returning({ id: products.id });
  return rows.length > 0;
}

/** Give back items an unpaid order held. Deleted products get them back too, which does no harm. */
export async function releaseStock(scope: TenantScope, id: string, quantity: number): Promise<void> {
  await scope.db
    .update(products)
    .set({ stock: sql`${products.stock} + ${quantity}`, updatedAt: new Date() })
    .where(scope.where(products, eq(products.id, id)));
}
