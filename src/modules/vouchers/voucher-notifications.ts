import type { AppServices } from "../../app/services.js";
import { TenantScope } from "../../db/tenant-scope.js";
import type { NotificationHandler } from "../../http/notification-routes.js";
import { notifyCampaignActivity } from "../../realtime/campaign-activity.js";
import { verifyNotification } from "../merchants/notification-verifier.js";
import { recordVoucherRedemption } from "./voucher-redemption.js";

/**
 * COUPON.USE notifications: a voucher issued here was used in a payment. Recorded once per coupon
 * however often WeChat Pay repeats the message (it retries once a minute, nine times).
 */
export function couponNotificationHandler(services: AppServices): NotificationHandler {
  return async (input) => {
    const verified = await verifyNotification(services, input);
    if (!verified.ok) return verified.outcome;
    const { account, notification } = verified;
    if (notification.kind !== "coupon_use") return { status: 204 };

    const coupon = notification.resource;
    const consumed = coupon.consume_information;
    const scope = new TenantScope(account.tenantId, services.db);
    const recorded = await scope.transaction((tx) =>
      recordVoucherRedemption(
        tx.db,
        tx.tenantId,
        {
          couponId: coupon.coupon_id,
          occurredAt: consumed?.consume_time ? new Date(consumed.consume_time) : services.now(),
          amount: coupon.normal_coupon_information?.coupon_amount ?? null,
          transactionId: consumed?.transaction_id ?? null,
          source: "WECHATPAY",
        },
        services.logger,
      ),
    );
    if (recorded?.campaignId) notifyCampaignActivity(services, account.tenantId, recorded.campaignId);
    return { status: 204 };
  };
}
