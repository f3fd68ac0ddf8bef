import { eq, and } from "drizzle-orm";
import type { Executor } from "../../db/database.js";
import type { Logger } from "../../logging/logger.js";
import { customers } from "../customers/customer.table.js";
import { customerEventKey, recordCustomerEvent, type CustomerEventSource } from "../events/customer-event.recorder.js";
import { findGrantByCouponId, incrementBatchCounters, markGrantRedeemed } from "./voucher.repository.js";
import { voucherBatches } from "./voucher.tables.js";

export interface VoucherRedemption {
  couponId: string;
  /** When the customer paid with the voucher. */
  occurredAt: Date;
  /** Face value deducted, in fen. */
  amount?: number | null;
  transactionId?: string | null;
  orderId?: string | null;
  /** PAYMENT for a payment's promotion_detail, WECHATPAY for a COUPON.USE notification. */
  source: Extract<CustomerEventSource, "PAYMENT" | "WECHATPAY">;
}

/**
 * Record that a voucher this platform issued was redeemed: the grant's redemption time, the batch's
 * redeemed count and a VOUCHER_REDEEMED event, each at most once however many times the payment
 * notification and the COUPON.USE notification report it. Runs inside the caller's transaction and
 * returns the campaign to refresh after the commit, or undefined when nothing new was recorded.
 */
export async function recordVoucherRedemption(
  tx: Executor,
  tenantId: string,
  redemption: VoucherRedemption,
  logger?: Logger,
): Promise<{ campaignId: string | null } | undefined> {
  const grant = await findGrantByCouponId(tx, tenantId, redemption.couponId);
  if (!grant) {
    // Vouchers of a batch can also reach customers through other channels; those are not ours to count.
    logger?.info({ module: "vouchers", couponId: redemption.couponId }, "redeemed voucher was not issued by this platform");
    return undefined;
  }

  const firstTime = await markGrantRedeemed(tx, tenantId, grant.id, redemption.occurredAt);
  if (firstTime) await incrementBatchCounters(tx, tenantId, grant.batchId, { redeemed: 1 });

  const [context] = await tx
    .select({ openid: customers.openid, mobile: customers.mobile, merchantAccountId: voucherBatches.merchantAccountId, couponAmount: voucherBatches.couponAmount })
    .from(customers)
    .innerJoin(voucherBatches, and(eq(voucherBatches.tenantId, tenantId), eq(voucherBatches.id, grant.batchId)))
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, grant.customerId)));

  const recorded = await recordCustomerEvent(tx, tenantId, {
    eventKey: customerEventKey("VOUCHER_REDEEMED", redemption.couponId),
    type: "VOUCHER_REDEEMED",
    occurredAt: redemption.occurredAt,
    source: redemption.source,
    customerId: grant.customerId,
    openid: context?.openid ?? "",
    mobile: context?.mobile ?? null,
    campaignId: grant.campaignId,
    merchantAccountId: context?.merchantAccountId ?? null,
    voucherBatchId: grant.batchId,
    orderId: redemption.orderId ?? null,
    wechatObjectId: redemption.couponId,
    amount: redemption.amount ?? context?.couponAmount ?? null,
    attributes: redemption.transactionId ? { transactionId: redemption.transactionId } : {},
  });

  return firstTime || recorded ? { campaignId: grant.campaignId } : undefined;
}
