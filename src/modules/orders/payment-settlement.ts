import { eq } from "drizzle-orm";
import type { AppServices } from "../../app/services.js";
import { TenantScope } from "../../db/tenant-scope.js";
import type { Logger } from "../../logging/logger.js";
import { notifyCampaignActivity } from "../../realtime/campaign-activity.js";
import type { PromotionDetail, Transaction } from "../../wechatpay/index.js";
import { customerEventKey, recordCustomerEvent } from "../events/customer-event.recorder.js";
import type { MerchantAccountRow } from "../merchants/merchant-account.table.js";
import { retakeStock } from "../products/product.repository.js";
import { recordVoucherRedemption } from "../vouchers/voucher-redemption.js";
import { voucherBatches } from "../vouchers/voucher.tables.js";
import { recordOrderEvent } from "./order-events.js";
import { canMoveOrder } from "./order-status.js";
import { insertPromotions, lockOrderByNo, updateOrderRow } from "./order.repository.js";
import type { OrderRow } from "./order.tables.js";
import { startAutomaticRefund } from "./refund.service.js";

/** Outcome of applying a reported payment to the local order. */
export type SettlementOutcome =
  | { kind: "PAID"; order: OrderRow }
  /** The order had expired; its stock was available again and is taken for it. */
  | { kind: "PAID_AFTER_EXPIRY"; order: OrderRow }
  /** The order had expired and its stock is gone; a full refund is started. */
  | { kind: "STOCK_SHORTFALL"; order: OrderRow }
  /** Recorded before: a repeated or concurrent notification, or a query after the notification. */
  | { kind: "ALREADY_PAID"; order: OrderRow }
  /** The payment's ids or amounts differ from the order; nothing is changed. */
  | { kind: "MISMATCH"; order: OrderRow; problems: string[] }
  | { kind: "NOT_FOUND" };

/**
 * Apply a successful payment, reported by a TRANSACTION.SUCCESS notification or an order query, to the
 * order it names. The order row is locked first, so concurrent duplicates apply once; ids and amounts
 * are compared with the order before anything changes. Records ORDER_PAID, the voucher deductions and
 * their redemptions in the same transaction, and publishes campaign activity after the commit.
 */
export async function applyPaidTransaction(services: AppServices, account: MerchantAccountRow, transaction: Transaction): Promise<SettlementOutcome> {
  const logger = services.logger.child({ module: "orders", tenantId: account.tenantId, merchantAccountId: account.id, orderNo: transaction.out_trade_no });
  const scope = new TenantScope(account.tenantId, services.db);

  const { outcome, campaignIds } = await scope.transaction(async (tx) => {
    const order = await lockOrderByNo(tx, account.id, transaction.out_trade_no);
    if (!order) return { outcome: { kind: "NOT_FOUND" } as SettlementOutcome, campaignIds: [] };

    const problems = compareWithOrder(order, account, transaction);
    if (problems.length > 0) return { outcome: { kind: "MISMATCH", order, problems } as SettlementOutcome, campaignIds: [] };

    if (order.transactionId !== null || !canMoveOrder(order.status, "PAID")) {
      return { outcome: { kind: "ALREADY_PAID", order } as SettlementOutcome, campaignIds: [] };
    }
    return markPaid(services, tx, order, transaction, logger);
  });

  for (const campaignId of campaignIds) notifyCampaignActivity(services, account.tenantId, campaignId);
  logSettlement(logger, outcome, transaction);

  if (outcome.kind === "STOCK_SHORTFALL") {
    await startAutomaticRefund(services, account, outcome.order).catch((error: unknown) =>
      logger.error({ err: error, orderId: outcome.order.id }, "automatic refund could not be started; the order sweeper retries it"),
    );
  }
  return outcome;
}

async function markPaid(
  services: AppServices,
  tx: TenantScope,
  order: OrderRow,
  transaction: Transaction,
  logger: Logger,
): Promise<{ outcome: SettlementOutcome; campaignIds: string[] }> {
  // An expired or cancelled order gave its stock back; take it again if enough is left.
  const late = order.status !== "PENDING";
  let stockHeld = order.stockHeld;
  if (!stockHeld) stockHeld = await retakeStock(tx, order.productId, order.quantity);

  const payerTotal = transaction.amount?.payer_total ?? order.totalAmount;
  const paidAt = parseTime(transaction.success_time) ?? services.now();
  const promotions = transaction.promotion_detail ?? [];

  const paid = await updateOrderRow(tx, order.id, {
    status: "PAID",
    transactionId: transaction.transaction_id!,
    paidAt,
    payerTotal,
    discountAmount: order.totalAmount - payerTotal,
    paidAfterExpiry: late,
    stockShortfall: !stockHeld,
    stockHeld,
  });
  await insertPromotions(tx, promotions.map((promotion) => promotionRow(order.id, promotion)));
  await recordOrderEvent(tx, paid, {
    type: "ORDER_PAID",
    objectId: paid.id,
    occurredAt: paidAt,
    amount: payerTotal,
    attributes: { totalAmount: paid.totalAmount, discountAmount: paid.discountAmount, paidAfterExpiry: late, couponIds: promotions.map((promotion) => promotion.coupon_id) },
  });

  const campaignIds = new Set<string>();
  if (paid.campaignId) campaignIds.add(paid.campaignId);
  for (const promotion of promotions) {
    const redeemed = await recordRedemption(tx, paid, promotion, paidAt, logger);
    if (redeemed) campaignIds.add(redeemed);
  }

  let kind: "PAID" | "PAID_AFTER_EXPIRY" | "STOCK_SHORTFALL" = "PAID";
  if (late) kind = stockHeld ? "PAID_AFTER_EXPIRY" : "STOCK_SHORTFALL";
  return { outcome: { kind, order: paid }, campaignIds: [...campaignIds] };
}

/**
 * Record a voucher used in the payment and return the campaign to refresh, if any. The voucher module
 * counts it against its batch when this platform issued it. The VOUCHER_REDEEMED event is then written
 * with the voucher module's key either way, so the redemption is recorded once, whether the payment or
 * COUPON.USE reports it first.
 */
async function recordRedemption(tx: TenantScope, order: OrderRow, promotion: PromotionDetail, paidAt: Date, logger: Logger): Promise<string | null> {
  const redemption = await recordVoucherRedemption(
    tx.db,
    tx.tenantId,
    { couponId: promotion.coupon_id, occurredAt: paidAt, amount: promotion.amount, transactionId: order.transactionId, orderId: order.id, source: "PAYMENT" },
    logger,
  );

  const [batch] = promotion.stock_id
    ? await tx.db
        .select({ id: voucherBatches.id, campaignId: voucherBatches.campaignId })
        .from(voucherBatches)
        .where(tx.where(voucherBatches, eq(voucherBatches.stockId, promotion.stock_id)))
    : [];
  const recorded = await recordCustomerEvent(tx.db, tx.tenantId, {
    eventKey: customerEventKey("VOUCHER_REDEEMED", promotion.coupon_id),
    type: "VOUCHER_REDEEMED",
    occurredAt: paidAt,
    source: "PAYMENT",
    customerId: order.customerId,
    openid: order.openid,
    campaignId: batch?.campaignId ?? order.campaignId,
    merchantAccountId: order.merchantAccountId,
    voucherBatchId: batch?.id ?? null,
    orderId: order.id,
    productId: order.productId,
    wechatObjectId: promotion.coupon_id,
    amount: promotion.amount,
    attributes: { stockId: promotion.stock_id ?? null, transactionId: order.transactionId },
  });

  if (redemption?.campaignId) return redemption.campaignId;
  return recorded ? (batch?.campaignId ?? order.campaignId) : null;
}

function promotionRow(orderId: string, promotion: PromotionDetail) {
  return {
    orderId,
    couponId: promotion.coupon_id,
    stockId: promotion.stock_id ?? null,
    name: promotion.name ?? null,
    scope: promotion.scope ?? null,
    type: promotion.type ?? null,
    amount: promotion.amount,
    wechatpayContribute: promotion.wechatpay_contribute ?? null,
    merchantContribute: promotion.merchant_contribute ?? null,
    otherContribute: promotion.other_contribute ?? null,
  };
}

/** Differences between a reported payment and the order; an empty list means they agree. */
export function compareWithOrder(order: OrderRow, account: MerchantAccountRow, transaction: Transaction): string[] {
  const problems: string[] = [];
  const total = transaction.amount?.total;
  const payerTotal = transaction.amount?.payer_total;
  const deducted = (transaction.promotion_detail ?? []).reduce((sum, promotion) => sum + promotion.amount, 0);

  if (transaction.trade_state !== "SUCCESS" && transaction.trade_state !== "REFUND") problems.push(`trade_state is ${transaction.trade_state}`);
  if (transaction.mchid !== account.mchid) problems.push(`mchid ${transaction.mchid} is not ${account.mchid}`);
  if (transaction.appid !== order.appid) problems.push(`appid ${transaction.appid} is not ${order.appid}`);
  if (!transaction.transaction_id) problems.push("transaction_id is missing");
  if (total !== order.totalAmount) problems.push(`amount.total ${String(total)} is not ${order.totalAmount}`);
  if (payerTotal !== undefined && (!Number.isSafeInteger(payerTotal) || payerTotal < 0 || payerTotal > order.totalAmount)) {
    problems.push(`amount.payer_total ${payerTotal} is outside 0..${order.totalAmount}`);
  }
  if (deducted > order.totalAmount) problems.push(`promotion_detail deducts ${deducted}, more than ${order.totalAmount}`);
  if (transaction.payer?.openid !== undefined && transaction.payer.openid !== order.openid) problems.push("payer.openid is not the order's openid");
  return problems;
}

function logSettlement(logger: Logger, outcome: SettlementOutcome, transaction: Transaction): void {
  switch (outcome.kind) {
    case "PAID":
      logger.info({ orderId: outcome.order.id, transactionId: transaction.transaction_id }, "order paid");
      return;
    case "PAID_AFTER_EXPIRY":
      logger.warn({ orderId: outcome.order.id, transactionId: transaction.transaction_id }, "order paid after expiry; its stock was taken again");
      return;
    case "STOCK_SHORTFALL":
      logger.warn({ orderId: outcome.order.id, transactionId: transaction.transaction_id }, "order paid after expiry without stock left; refunding it in full");
      return;
    case "ALREADY_PAID":
      if (outcome.order.transactionId !== transaction.transaction_id) {
        logger.error({ orderId: outcome.order.id, recorded: outcome.order.transactionId, reported: transaction.transaction_id }, "a second transaction was reported for a paid order");
      }
      return;
    case "MISMATCH":
      logger.error({ orderId: outcome.order.id, problems: outcome.problems }, "payment does not match the order; not applied");
      return;
    case "NOT_FOUND":
      logger.error("payment reported for an unknown order");
      return;
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled settlement ${JSON.stringify(unreachable)}`);
    }
  }
}

function parseTime(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}
