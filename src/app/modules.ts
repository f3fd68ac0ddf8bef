import type { NotificationRoutes } from "../http/notification-routes.js";
import { syncStaleBatches } from "../modules/vouchers/voucher-batch.service.js";
import { couponNotificationHandler } from "../modules/vouchers/voucher-notifications.js";
import { resumeUnsettledGrants } from "../modules/vouchers/voucher-recovery.js";
import { VOUCHER_ISSUE_JOB, voucherIssueJobHandler } from "../modules/vouchers/voucher-workflow.service.js";
import type { AppServices } from "./services.js";

/** Batches are refreshed from WeChat Pay when their copy is older than this, in ms. */
const BATCH_SYNC_MAX_AGE_MS = 15 * 60_000;

/** Hook each module's job handlers, notification handlers and periodic tasks into the running server. */
export function registerModules(services: AppServices, notificationRoutes: NotificationRoutes): void {
  services.jobs.register(VOUCHER_ISSUE_JOB, voucherIssueJobHandler);
  notificationRoutes.register("coupon", couponNotificationHandler(services));
  services.maintenance.every("voucher-grant-recovery", 15_000, () => resumeUnsettledGrants(services));
  services.maintenance.every("voucher-batch-sync", 60_000, () => syncStaleBatches(services, BATCH_SYNC_MAX_AGE_MS));
}
