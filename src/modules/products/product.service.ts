import { rm } from "node:fs/promises";
import path from "node:path";
import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { parseGlobalId } from "../../graphql/relay/global-id.js";
import { decodeCursor, pageSize, toConnection } from "../../graphql/relay/pagination.js";
import { userError, type UserError } from "../../graphql/user-error.js";
import { getCampaignRowOrThrow } from "../campaigns/campaign.service.js";
import { getMerchantAccountRowOrThrow } from "../merchants/merchant-account.service.js";
import { decodePicture, MAX_PICTURE_BYTES, MAX_PICTURE_URL_LENGTH, pictureDirectory, storePicture } from "./product-picture.js";
import type { CreateProductInput, ProductAttributeInput, ProductFilter, ProductPictureInput, UpdateProductInput } from "./product.inputs.js";
import {
  countProducts,
  findProductById,
  findProductsOnSale,
  insertProduct,
  listProducts,
  markProductDeleted,
  updateProductRow,
  type ProductQuery,
} from "./product.repository.js";
import type { ProductRow } from "./product.table.js";
import { PageProduct, Product } from "./product.type.js";

const MAX_NAME_LENGTH = 100;
const MAX_INTRODUCTION_LENGTH = 5000;
const MAX_LABELS = 20;
const MAX_LABEL_LENGTH = 20;
const MAX_ATTRIBUTES = 50;
const MAX_ATTRIBUTE_KEY_LENGTH = 50;
const MAX_ATTRIBUTE_VALUE_LENGTH = 500;
/** Largest stock a product may hold: the integer column's range. */
const MAX_STOCK = 2_147_483_647;
/** Most products one productModule call returns. */
const MAX_MODULE_PRODUCTS = 100;

export interface ProductResult {
  product: Product | null;
  userErrors: UserError[];
}

interface PictureColumns {
  pictureUrl: string | null;
  pictureFile: string | null;
}

export async function getProduct(ctx: RequestContext, globalId: string): Promise<Product | null> {
  const row = await findProductById(tenantScope(ctx), parseGlobalId("Product", globalId));
  return row ? Product.fromRow(row, ctx.services.publicBaseUrl()) : null;
}

export async function searchProducts(ctx: RequestContext, filter: ProductFilter, first: number | null | undefined, after: string | null | undefined) {
  const scope = tenantScope(ctx);
  const size = pageSize(first);
  const cursor = after ? decodeCursor(after) : undefined;
  const query: ProductQuery = {
    search: filter.search,
    status: filter.status,
    label: filter.label,
    merchantAccountRowId: filter.merchantAccountId ? parseGlobalId("MerchantAccount", filter.merchantAccountId, "merchantAccountId") : null,
    campaignRowId: filter.campaignId ? parseGlobalId("Campaign", filter.campaignId, "campaignId") : null,
  };

  const [rows, total] = await Promise.all([listProducts(scope, query, cursor, size + 1), countProducts(scope, query)]);
  const publicBaseUrl = ctx.services.publicBaseUrl();
  return toConnection(
    rows,
    size,
    total,
    cursor !== undefined,
    (row: ProductRow) => ({ key: row.createdAt.toISOString(), id: row.id }),
    (row) => Product.fromRow(row, publicBaseUrl),
  );
}

/** Load the on-sale products among `ids` in the requested order, leaving out off-sale, deleted and unknown ones. */
export async function getPageProducts(ctx: RequestContext, ids: string[]): Promise<PageProduct[]> {
  if (ids.length > MAX_MODULE_PRODUCTS) {
    throw new DomainError("BAD_USER_INPUT", "TOO_MANY_IDS", "product.tooManyItems", { field: "ids", max: MAX_MODULE_PRODUCTS, count: ids.length }, { field: "ids" });
  }
  const rowIds = ids.map((id) => parseGlobalId("Product", id, "ids"));
  const rows = await findProductsOnSale(tenantScope(ctx), rowIds);

  const byId = new Map(rows.map((row) => [row.id, row]));
  const publicBaseUrl = ctx.services.publicBaseUrl();
  return [...new Set(rowIds)].flatMap((id) => {
    const row = byId.get(id);
    return row ? [PageProduct.fromRow(row, publicBaseUrl)] : [];
  });
}

export async function createProduct(ctx: RequestContext, input: CreateProductInput): Promise<ProductResult> {
  const scope = tenantScope(ctx);
  const userErrors = validateProductFields(ctx, input);
  if (userErrors.length > 0) return { product: null, userErrors };

  const account = await getMerchantAccountRowOrThrow(scope, input.merchantAccountId);
  const campaign = input.campaignId ? await getCampaignRowOrThrow(ctx, input.campaignId) : null;
  const picture = input.picture ? await resolvePicture(ctx, input.picture) : { columns: { pictureUrl: null, pictureFile: null } };
  if ("error" in picture) return { product: null, userErrors: [picture.error] };

  const row = await insertProduct(scope, {
    merchantAccountId: account.id,
    campaignId: campaign?.id ?? null,
    name: input.name.trim(),
    introduction: input.introduction ?? "",
    labels: normalizeLabels(input.labels),
    price: input.price,
    stock: input.stock,
    status: input.status ?? "OFF_SALE",
    attributes: normalizeAttributes(input.attributes),
    ...picture.columns,
  });
  ctx.logger.info({ module: "products", productId: row.id, merchantAccountId: account.id }, "product created");
  return { product: Product.fromRow(row, ctx.services.publicBaseUrl()), userErrors: [] };
}

export async function updateProduct(ctx: RequestContext, input: UpdateProductInput): Promise<ProductResult> {
  const scope = tenantScope(ctx);
  const id = parseGlobalId("Product", input.id);
  const existing = await findProductById(scope, id);
  if (!existing) throw new DomainError("NOT_FOUND", "PRODUCT_NOT_FOUND", "product.notFound", { id: input.id });

  const userErrors = validateProductFields(ctx, input);
  if (input.stock !== undefined && input.stock !== null && input.stockDelta) {
    userErrors.push(userError(ctx, "INVALID_VALUE", "validation.invalid", { field: "stockDelta", value: input.stockDelta, reason: "give stock or stockDelta, not both" }, ["stockDelta"]));
  }
  if (userErrors.length > 0) return { product: null, userErrors };

  const changes: Parameters<typeof updateProductRow>[2] = {};
  if (input.name !== undefined && input.name !== null) changes.name = input.name.trim();
  if (input.introduction !== undefined && input.introduction !== null) changes.introduction = input.introduction;
  if (input.labels) changes.labels = normalizeLabels(input.labels);
  if (input.price !== undefined && input.price !== null) changes.price = input.price;
  if (input.stock !== undefined && input.stock !== null) changes.stock = input.stock;
  if (input.status) changes.status = input.status;
  if (input.attributes) changes.attributes = normalizeAttributes(input.attributes);
  if (input.campaignId !== undefined) changes.campaignId = input.campaignId ? (await getCampaignRowOrThrow(ctx, input.campaignId)).id : null;

  if (input.picture === null) Object.assign(changes, { pictureUrl: null, pictureFile: null });
  if (input.picture) {
    const picture = await resolvePicture(ctx, input.picture);
    if ("error" in picture) return { product: null, userErrors: [picture.error] };
    Object.assign(changes, picture.columns);
  }

  const row = await updateProductRow(scope, id, changes, input.stockDelta ?? undefined);
  if (!row) {
    return {
      product: null,
      userErrors: [userError(ctx, "STOCK_BELOW_ZERO", "product.invalidStock", { field: "stockDelta", max: MAX_STOCK, value: existing.stock + (input.stockDelta ?? 0) }, ["stockDelta"])],
    };
  }

  if (existing.pictureFile && existing.pictureFile !== row.pictureFile) await removeStoredPicture(ctx, existing.pictureFile);
  ctx.logger.info({ module: "products", productId: row.id }, "product updated");
  return { product: Product.fromRow(row, ctx.services.publicBaseUrl()), userErrors: [] };
}

/** Take a product off every list and page. Orders that bought it still show it. */
export async function deleteProduct(ctx: RequestContext, globalId: string): Promise<{ deletedProductId: string | null; userErrors: UserError[] }> {
  const row = await markProductDeleted(tenantScope(ctx), parseGlobalId("Product", globalId), ctx.services.now());
  if (!row) throw new DomainError("NOT_FOUND", "PRODUCT_NOT_FOUND", "product.notFound", { id: globalId });
  ctx.logger.info({ module: "products", productId: row.id }, "product deleted");
  return { deletedProductId: globalId, userErrors: [] };
}

interface ProductFields {
  name?: string | null;
  introduction?: string | null;
  labels?: string[] | null;
  price?: number | null;
  stock?: number | null;
  attributes?: ProductAttributeInput[] | null;
}

function validateProductFields(ctx: RequestContext, input: ProductFields): UserError[] {
  const errors: UserError[] = [];

  if (input.name !== undefined && input.name !== null) {
    const name = input.name.trim();
    if (name === "") errors.push(userError(ctx, "REQUIRED", "validation.required", { field: "name" }, ["name"]));
    if (name.length > MAX_NAME_LENGTH) errors.push(tooLong(ctx, "name", MAX_NAME_LENGTH, name.length, ["name"]));
  }
  if (input.introduction && input.introduction.length > MAX_INTRODUCTION_LENGTH) {
    errors.push(tooLong(ctx, "introduction", MAX_INTRODUCTION_LENGTH, input.introduction.length, ["introduction"]));
  }
  if (input.price !== undefined && input.price !== null && input.price < 1) {
    errors.push(userError(ctx, "INVALID_PRICE", "product.invalidPrice", { field: "price", value: input.price }, ["price"]));
  }
  if (input.stock !== undefined && input.stock !== null && (input.stock < 0 || input.stock > MAX_STOCK)) {
    errors.push(userError(ctx, "INVALID_STOCK", "product.invalidStock", { field: "stock", max: MAX_STOCK, value: input.stock }, ["stock"]));
  }

  const labels = input.labels ?? [];
  if (labels.length > MAX_LABELS) {
    errors.push(userError(ctx, "TOO_MANY_ITEMS", "product.tooManyItems", { field: "labels", max: MAX_LABELS, count: labels.length }, ["labels"]));
  }
  labels.forEach((label, index) => {
    const trimmed = label.trim();
    if (trimmed === "") errors.push(userError(ctx, "REQUIRED", "validation.required", { field: `labels[${index}]` }, ["labels", String(index)]));
    if (trimmed.length > MAX_LABEL_LENGTH) errors.push(tooLong(ctx, `labels[${index}]`, MAX_LABEL_LENGTH, trimmed.length, ["labels", String(index)]));
  });

  errors.push(...validateAttributes(ctx, input.attributes ?? []));
  return errors;
}

function validateAttributes(ctx: RequestContext, attributes: ProductAttributeInput[]): UserError[] {
  const errors: UserError[] = [];
  if (attributes.length > MAX_ATTRIBUTES) {
    errors.push(userError(ctx, "TOO_MANY_ITEMS", "product.tooManyItems", { field: "attributes", max: MAX_ATTRIBUTES, count: attributes.length }, ["attributes"]));
  }

  const seen = new Set<string>();
  attributes.forEach((attribute, index) => {
    const key = attribute.key.trim();
    const path = ["attributes", String(index)];
    if (key === "") errors.push(userError(ctx, "REQUIRED", "validation.required", { field: `attributes[${index}].key` }, [...path, "key"]));
    if (key.length > MAX_ATTRIBUTE_KEY_LENGTH) errors.push(tooLong(ctx, `attributes[${index}].key`, MAX_ATTRIBUTE_KEY_LENGTH, key.length, [...path, "key"]));
    if (attribute.value.length > MAX_ATTRIBUTE_VALUE_LENGTH) {
      errors.push(tooLong(ctx, `attributes[${index}].value`, MAX_ATTRIBUTE_VALUE_LENGTH, attribute.value.length, [...path, "value"]));
    }
    if (seen.has(key)) errors.push(userError(ctx, "DUPLICATE_KEY", "product.duplicateAttribute", { field: "attributes", key }, [...path, "key"]));
    seen.add(key);
  });
  return errors;
}

function tooLong(ctx: RequestContext, field: string, max: number, length: number, path: string[]): UserError {
  return userError(ctx, "TOO_LONG", "validation.tooLong", { field, max, length }, path);
}

function normalizeLabels(labels: string[] | null | undefined): string[] {
  return [...new Set((labels ?? []).map((label) => label.trim()))];
}

function normalizeAttributes(attributes: ProductAttributeInput[] | null | undefined) {
  return (attributes ?? []).map((attribute) => ({ key: attribute.key.trim(), value: attribute.value }));
}

/** Check a picture input and, for an upload, store the file; returns the columns to save or a user error. */
async function resolvePicture(ctx: RequestContext, input: ProductPictureInput): Promise<{ columns: PictureColumns } | { error: UserError }> {
  const hasUpload = input.upload !== undefined && input.upload !== null;
  const hasUrl = input.url !== undefined && input.url !== null;
  if (hasUpload === hasUrl) return { error: userError(ctx, "INVALID_PICTURE", "product.pictureChoice", { field: "picture" }, ["picture"]) };

  if (hasUrl) {
    const url = input.url!.trim();
    if (!isHttpUrl(url) || url.length > MAX_PICTURE_URL_LENGTH) {
      return { error: userError(ctx, "INVALID_PICTURE_URL", "product.pictureUrl", { field: "picture.url", value: url, max: MAX_PICTURE_URL_LENGTH }, ["picture", "url"]) };
    }
    return { columns: { pictureUrl: url, pictureFile: null } };
  }

  const decoded = decodePicture(input.upload!);
  if (!decoded.ok) {
    const field = "picture.upload";
    const fieldPath = ["picture", "upload"];
    switch (decoded.problem) {
      case "ENCODING":
        return { error: userError(ctx, "INVALID_PICTURE_ENCODING", "product.pictureEncoding", { field }, fieldPath) };
      case "TOO_LARGE":
        return { error: userError(ctx, "PICTURE_TOO_LARGE", "product.pictureTooLarge", { field, size: decoded.size, max: MAX_PICTURE_BYTES }, fieldPath) };
      case "TYPE":
        return { error: userError(ctx, "UNSUPPORTED_PICTURE_TYPE", "product.pictureType", { field }, fieldPath) };
      default: {
        const unreachable: never = decoded.problem;
        throw new Error(`unhandled picture problem ${String(unreachable)}`);
      }
    }
  }

  const fileName = await storePicture(ctx.services.config.dataDir, decoded);
  ctx.logger.info({ module: "products", fileName, contentType: decoded.contentType, bytes: decoded.bytes.length }, "product picture stored");
  return { columns: { pictureUrl: null, pictureFile: fileName } };
}

async function removeStoredPicture(ctx: RequestContext, fileName: string): Promise<void> {
  try {
    await rm(path.join(pictureDirectory(ctx.services.config.dataDir), fileName), { force: true });
  } catch (error) {
    ctx.logger.warn({ module: "products", fileName, err: error }, "removing a replaced product picture failed");
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
