import type { RequestContext } from "../../graphql/context.js";
import { tenantScope } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { parseGlobalId } from "../../graphql/relay/global-id.js";
import { decodeCursor, pageSize, toConnection } from "../../graphql/relay/pagination.js";
import { userError, type UserError } from "../../graphql/user-error.js";
import { TenantScope } from "../../db/tenant-scope.js";
import type { AppServices } from "../../app/services.js";
import type { Logger } from "../../logging/logger.js";
import type { VoucherStock } from "../../wechatpay/index.js";
import { isUniqueViolation, getCampaignRowOrThrow } from "../campaigns/campaign.service.js";
import { getMerchantAccountRowOrThrow } from "../merchants/merchant-account.service.js";
import { findMerchantAccountById } from "../merchants/merchant-account.repository.js";
import type { MerchantAccountRow } from "../merchants/merchant-account.table.js";
import {
  countBatches,
  findBatchById,
  findStaleBatches,
  insertBatch,
  listBatches,
  updateBatch,
  type VoucherBatchQuery,
} from "./voucher.repository.js";
import type { VoucherBatchRow } from "./voucher.tables.js";
import { VoucherBatch } from "./voucher-batch.type.js";

export interface VoucherBatchResult {
  voucherBatch: VoucherBatch | null;
  userErrors: UserError[];
}

export async function getBatchRowOrThrow(scope: TenantScope, globalId: string, field = "batchId"): Promise<VoucherBatchRow> {
  const row = await findBatchById(scope, parseGlobalId("VoucherBatch", globalId, field));
  if (!row) throw new DomainError("NOT_FOUND", "VOUCHER_BATCH_NOT_FOUND", "voucher.batchNotFound", { id: globalId }, { field });
  return row;
}

export async function getVoucherBatch(ctx: RequestContext, globalId: string): Promise<VoucherBatch | null> {
  const row = await findBatchById(tenantScope(ctx), parseGlobalId("VoucherBatch", globalId));
  return row ? VoucherBatch.fromRow(row) : null;
}

export async function searchVoucherBatches(
  ctx: RequestContext,
  filter: { search?: string | null; wechatStatus?: string[] | null; merchantAccountId?: string | null; campaignId?: string | null },
  first: number | null | undefined,
  after: string | null | undefined,
) {
  const scope = tenantScope(ctx);
  const query: VoucherBatchQuery = {
    search: filter.search,
    wechatStatus: filter.wechatStatus,
    merchantAccountId: filter.merchantAccountId ? parseGlobalId("MerchantAccount", filter.merchantAccountId, "filter.merchantAccountId") : null,
    campaignId: filter.campaignId ? parseGlobalId("Campaign", filter.campaignId, "filter.campaignId") : null,
  };
  const size = pageSize(first);
  const cursor = after ? decodeCursor(after) : undefined;
  const [rows, total] = await Promise.all([listBatches(scope, query, cursor, size + 1), countBatches(scope, query)]);
  return toConnection(rows, size, total, cursor !== undefined, (row) => ({ key: row.createdAt.toISOString(), id: row.id }), VoucherBatch.fromRow);
}

/**
 * Register a batch that the brand created on the WeChat Pay merchant platform. WeChat Pay is asked for it
 * first, so a batch it does not know is rejected and a known one starts with WeChat Pay's own settings.
 */
export async function registerVoucherBatch(
  ctx: RequestContext,
  input: { merchantAccountId: string; stockId: string; stockCreatorMchid?: string | null; campaignId?: string | null },
): Promise<VoucherBatchResult> {
  const scope = tenantScope(ctx);
  const account = await getMerchantAccountRowOrThrow(scope, input.merchantAccountId);
  const campaign = input.campaignId ? await getCampaignRowOrThrow(ctx, input.campaignId) : undefined;
  const stockId = input.stockId.trim();
  const creator = input.stockCreatorMchid?.trim() || account.mchid;
  if (!/^[0-9A-Za-z]{1,20}$/.test(stockId)) {
    return { voucherBatch: null, userErrors: [userError(ctx, "INVALID_STOCK_ID", "voucher.invalidStockId", { value: input.stockId }, ["stockId"])] };
  }
  if (!/^\d{6,32}$/.test(creator)) {
    return { voucherBatch: null, userErrors: [userError(ctx, "INVALID_MCHID", "merchant.invalidMchid", { field: "stockCreatorMchid", value: creator }, ["stockCreatorMchid"])] };
  }

  const client = ctx.services.wechatPay.clientFor(account);
  const result = await client.queryStock({ stock_id: stockId, stock_creator_mchid: creator });
  if (!result.ok) {
    const unknown = result.code === "RESOURCE_NOT_EXISTS" || result.code === "NOT_FOUND" || result.httpStatus === 404;
    return {
      voucherBatch: null,
      userErrors: [
        unknown
          ? userError(ctx, "STOCK_NOT_FOUND", "voucher.stockUnknown", { stockId, mchid: creator }, ["stockId"])
          : userError(ctx, "STOCK_QUERY_FAILED", "voucher.stockQueryFailed", { stockId, code: result.code, message: result.message }, ["stockId"]),
      ],
    };
  }

  let row: VoucherBatchRow;
  try {
    row = await insertBatch(scope, {
      merchantAccountId: account.id,
      campaignId: campaign?.id ?? null,
      stockId,
      stockCreatorMchid: creator,
      ...stockColumns(result.value, ctx.services.now()),
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return { voucherBatch: null, userErrors: [userError(ctx, "BATCH_TAKEN", "voucher.batchTaken", { stockId }, ["stockId"])] };
  }

  await subscribeToRedemptions(ctx.services, account, ctx.logger);
  ctx.logger.info({ module: "vouchers", batchId: row.id, stockId }, "voucher batch registered");
  return { voucherBatch: VoucherBatch.fromRow(row), userErrors: [] };
}

/** Refresh a batch from WeChat Pay on demand. */
export async function syncVoucherBatch(ctx: RequestContext, globalId: string): Promise<VoucherBatchResult> {
  const scope = tenantScope(ctx);
  const batch = await getBatchRowOrThrow(scope, globalId, "id");
  const account = (await findMerchantAccountById(scope, batch.merchantAccountId))!;
  const outcome = await syncBatchRow(ctx.services, scope, account, batch);
  if (!outcome.ok) {
    return {
      voucherBatch: VoucherBatch.fromRow(batch),
      userErrors: [userError(ctx, "STOCK_QUERY_FAILED", "voucher.stockQueryFailed", { stockId: batch.stockId, code: outcome.code, message: outcome.message }, ["id"])],
    };
  }
  return { voucherBatch: VoucherBatch.fromRow(outcome.row), userErrors: [] };
}

export async function syncBatchRow(
  services: AppServices,
  scope: TenantScope,
  account: MerchantAccountRow,
  batch: VoucherBatchRow,
): Promise<{ ok: true; row: VoucherBatchRow } | { ok: false; code: string; message: string }> {
  const result = await services.wechatPay.clientFor(account).queryStock({ stock_id: batch.stockId, stock_creator_mchid: batch.stockCreatorMchid });
  if (!result.ok) return { ok: false, code: result.code, message: result.message };
  const row = await updateBatch(scope, batch.id, stockColumns(result.value, services.now()));
  return { ok: true, row: row! };
}

/** Periodic sync: refresh batches whose copy is older than `maxAgeMs`, a few at a time, across tenants. */
export async function syncStaleBatches(services: AppServices, maxAgeMs: number): Promise<number> {
  const stale = await findStaleBatches(services.db, new Date(services.now().getTime() - maxAgeMs), 50);
  let synced = 0;
  for (const batch of stale) {
    const scope = new TenantScope(batch.tenantId, services.db);
    const account = await findMerchantAccountById(scope, batch.merchantAccountId);
    if (!account || account.status !== "ENABLED") continue;
    const outcome = await syncBatchRow(services, scope, account, batch);
    if (outcome.ok) synced++;
    else services.logger.warn({ module: "vouchers", batchId: batch.id, code: outcome.code }, "periodic batch sync failed");
  }
  return synced;
}

/**
 * Point the merchant's voucher notifications (COUPON.USE) at this server. WeChat Pay keeps one marketing
 * callback URL per merchant, so registering any batch of the merchant is enough. A failure is logged and
 * does not stop the registration: payment notifications also report redemptions.
 */
async function subscribeToRedemptions(services: AppServices, account: MerchantAccountRow, logger: Logger): Promise<void> {
  const notifyUrl = `${services.publicBaseUrl()}/wechatpay/notify/coupon/${account.id}`;
  const result = await services.wechatPay.clientFor(account).setCouponCallback({ notify_url: notifyUrl, switch: true });
  if (!result.ok) {
    logger.warn({ module: "vouchers", merchantAccountId: account.id, code: result.code }, "setting the voucher callback URL failed");
  }
}

function stockColumns(stock: VoucherStock, now: Date) {
  const rule = stock.stock_use_rule ?? {};
  const date = (value: string | undefined) => (value ? new Date(value) : null);
  return {
    name: stock.stock_name ?? stock.stock_id,
    wechatStatus: stock.status ?? "unknown",
    couponAmount: rule.fixed_normal_coupon?.coupon_amount ?? null,
    transactionMinimum: rule.fixed_normal_coupon?.transaction_minimum ?? null,
    maxCoupons: rule.max_coupons ?? null,
    maxAmount: rule.max_amount ?? null,
    maxAmountByDay: rule.max_amount_by_day ?? null,
    maxCouponsPerUser: rule.max_coupons_per_user ?? null,
    distributedCoupons: stock.distributed_coupons ?? 0,
    startTime: date(stock.start_time),
    stopTime: date(stock.stop_time),
    availableBeginTime: date(stock.available_begin_time),
    availableEndTime: date(stock.available_end_time),
    syncedAt: now,
  };
}
