import type { AppServices } from "../../app/services.js";
import { TenantScope } from "../../db/tenant-scope.js";
import type { NotificationHandler, NotificationOutcome } from "../../http/notification-routes.js";
import { WechatPayVerificationError, type RefundNotificationResource, type WechatPayNotification } from "../../wechatpay/index.js";
import type { MerchantAccountRow } from "../merchants/merchant-account.table.js";
import { findMerchantAccountForNotification } from "../merchants/merchant-account.repository.js";
import { PAYMENT_NOTIFICATION_KIND, REFUND_NOTIFICATION_KIND } from "./notification-kinds.js";
import { findOrderById } from "./order.repository.js";
import { applyPaidTransaction } from "./payment-settlement.js";
import { findRefundByNo } from "./refund.repository.js";
import { applyRefundReport } from "./refund.service.js";


type Verified = { ok: true; account: MerchantAccountRow; notification: WechatPayNotification } | { ok: false; outcome: NotificationOutcome };

/** Find the account the URL names and verify and decrypt the notification with its keys. */
async function verify(services: AppServices, input: Parameters<NotificationHandler>[0], kind: string): Promise<Verified> {
  const logger = services.logger.child({ module: "orders", notification: kind, merchantAccountId: input.merchantAccountId });
  const account = await findMerchantAccountForNotification(services.db, input.merchantAccountId);
  if (!account) {
    logger.warn("notification for an unknown merchant account");
    return { ok: false, outcome: { status: 404, message: "unknown merchant account" } };
  }

  try {
    const notification = await services.wechatPay.clientFor(account).parseNotification({ headers: input.headers, rawBody: input.rawBody });
    return { ok: true, account, notification };
  } catch (error) {
    if (!(error instanceof WechatPayVerificationError)) throw error;
    logger.warn({ reason: error.reason, err: error }, "notification failed verification; ignored");
    return { ok: false, outcome: { status: 401, message: "verification failed" } };
  }
}

/**
 * Handle TRANSACTION.SUCCESS by marking the order paid. A 2xx response stops WeChat Pay's retries, so a
 * payment that does not match its order gets a 500 and is logged, left unapplied and retried.
 */
export function paymentNotificationHandler(services: AppServices): NotificationHandler {
  return async (input) => {
    const verified = await verify(services, input, PAYMENT_NOTIFICATION_KIND);
    if (!verified.ok) return verified.outcome;
    const { account, notification } = verified;
    if (notification.kind !== "transaction") return { status: 204 };

    const outcome = await applyPaidTransaction(services, account, notification.resource);
    if (outcome.kind === "MISMATCH") return { status: 500, message: "payment does not match the order" };
    return { status: 204 };
  };
}

/** Handle REFUND.SUCCESS, REFUND.CLOSED and REFUND.ABNORMAL by moving the refund and the order on. */
export function refundNotificationHandler(services: AppServices): NotificationHandler {
  return async (input) => {
    const verified = await verify(services, input, REFUND_NOTIFICATION_KIND);
    if (!verified.ok) return verified.outcome;
    const { account, notification } = verified;
    if (notification.kind !== "refund") return { status: 204 };

    return applyRefundNotification(services, account, notification.resource);
  };
}

async function applyRefundNotification(services: AppServices, account: MerchantAccountRow, resource: RefundNotificationResource): Promise<NotificationOutcome> {
  const logger = services.logger.child({ module: "orders", merchantAccountId: account.id, refundNo: resource.out_refund_no });
  const scope = new TenantScope(account.tenantId, services.db);
  const refund = await findRefundByNo(scope, resource.out_refund_no);
  const order = refund ? await findOrderById(scope, refund.orderId) : undefined;
  if (!refund || !order || order.merchantAccountId !== account.id) {
    logger.error("refund notification for an unknown refund");
    return { status: 204 };
  }

  if (resource.out_trade_no !== order.orderNo || resource.amount.refund !== refund.amount || resource.amount.total !== order.totalAmount) {
    logger.error({ refundId: refund.id, outTradeNo: resource.out_trade_no, refund: resource.amount.refund, total: resource.amount.total }, "refund notification does not match the refund; not applied");
    return { status: 500, message: "refund does not match" };
  }

  await applyRefundReport(services, account.tenantId, refund.id, {
    status: resource.refund_status,
    refundId: resource.refund_id,
    payerRefund: resource.amount.payer_refund,
    ...(resource.success_time ? { succeededAt: new Date(resource.success_time) } : {}),
  });
  return { status: 204 };
}
