import type { NotificationRoutes } from "../http/notification-routes.js";
import { syncStaleBatches } from "../modules/vouchers/voucher-batch.service.js";
import { couponNotificationHandler } from "../modules/vouchers/voucher-notifications.js";
import { resumeUnsettledGrants } from "../modules/vouchers/voucher-recovery.js";
import { VOUCHER_ISSUE_JOB, voucherIssueJobHandler } from "../modules/vouchers/voucher-workflow.service.js";
import { runOrderExport } from "../modules/exports/order-export.job.js";
import { ORDER_EXPORT_JOB_KIND } from "../modules/exports/order-export.service.js";
import { PAYMENT_NOTIFICATION_KIND, REFUND_NOTIFICATION_KIND } from "../modules/orders/notification-kinds.js";
import { paymentNotificationHandler, refundNotificationHandler } from "../modules/orders/order-notifications.js";
import { SWEEP_INTERVAL_MS, sweepOrders } from "../modules/orders/order-sweeper.js";
import { orderSettings } from "../modules/orders/order.settings.js";
import { registerRedPackets } from "../modules/red-packets/register.js";
import type { AppServices } from "./services.js";

/** Batches are refreshed from WeChat Pay when their copy is older than this, in ms. */
const BATCH_SYNC_MAX_AGE_MS = 15 * 60_000;

/** Hook each module's job handlers, notification handlers and periodic tasks into the running server. */
export function registerModules(services: AppServices, notificationRoutes: NotificationRoutes): void {
  services.jobs.register(VOUCHER_ISSUE_JOB, voucherIssueJobHandler);
  notificationRoutes.register("coupon", couponNotificationHandler(services));
  services.maintenance.every("voucher-grant-recovery", 15_000, () => resumeUnsettledGrants(services));
  services.maintenance.every("voucher-batch-sync", 60_000, () => syncStaleBatches(services, BATCH_SYNC_MAX_AGE_MS));

  // Read now, so that an invalid ORDER_PAYMENT_TIMEOUT_SECONDS stops the start instead of the first checkout.
  orderSettings();
  services.jobs.register(ORDER_EXPORT_JOB_KIND, runOrderExport);
  notificationRoutes.register(PAYMENT_NOTIFICATION_KIND, paymentNotificationHandler(services));
  notificationRoutes.register(REFUND_NOTIFICATION_KIND, refundNotificationHandler(services));
  services.maintenance.every("order-sweep", SWEEP_INTERVAL_MS, () => sweepOrders(services));

  registerRedPackets(services, notificationRoutes);
}
