import type { AppServices } from "../../app/services.js";
import type { NotificationOutcome } from "../../http/notification-routes.js";
import { WechatPayVerificationError, type WechatPayNotification } from "../../wechatpay/index.js";
import { findMerchantAccountForNotification } from "./merchant-account.repository.js";
import type { MerchantAccountRow } from "./merchant-account.table.js";

export type VerifiedNotification =
  | { ok: true; account: MerchantAccountRow; notification: WechatPayNotification }
  | { ok: false; outcome: NotificationOutcome };

/**
 * Find the merchant account a notification URL names and verify the notification with that account's
 * keys. Nothing of the body is believed before this succeeds: a bad signature, a stale timestamp, a
 * signature probe or an undecryptable resource gets HTTP 401 and a log line, and WeChat Pay retries
 * genuine notifications anyway.
 */
export async function verifyNotification(
  services: AppServices,
  input: { merchantAccountId: string; headers: Record<string, string | string[] | undefined>; rawBody: Buffer },
): Promise<VerifiedNotification> {
  const account = await findMerchantAccountForNotification(services.db, input.merchantAccountId);
  if (!account) return { ok: false, outcome: { status: 404, message: "unknown merchant account" } };

  try {
    const notification = await services.wechatPay.clientFor(account).parseNotification({ headers: input.headers, rawBody: input.rawBody });
    return { ok: true, account, notification };
  } catch (error) {
    if (!(error instanceof WechatPayVerificationError)) throw error;
    services.logger.warn(
      { module: "wechatpay-notify", merchantAccountId: account.id, tenantId: account.tenantId, reason: error.reason },
      error.reason === "probe" ? "signature probe notification rejected" : "notification failed verification",
    );
    return { ok: false, outcome: { status: 401, message: `signature verification failed: ${error.reason}` } };
  }
}
