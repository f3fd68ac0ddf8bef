import type { AppServices } from "../../app/services.js";
import type { NotificationRoutes } from "../../http/notification-routes.js";
import { deliverOutboxNotices } from "../notices/notice-delivery.js";
import { resumeDueGrants } from "./grant-recovery.js";
import { TRANSFER_NOTIFICATION_KIND } from "./issuing.service.js";
import { reconciliationJobHandler, RED_PACKET_RECONCILIATION_JOB, scheduleReconciliation } from "./reconciliation.js";
import { RED_PACKET_SEND_JOB } from "./send-job.repository.js";
import { redPacketSendJobHandler } from "./send-job.service.js";
import { transferNotificationHandler } from "./transfer-notifications.js";

/** How often each instance looks for grants left in flight, in ms. */
const RECOVERY_INTERVAL_MS = 5_000;
/** How often failure notices are handed to configured gateways, in ms. */
const NOTICE_DELIVERY_INTERVAL_MS = 5_000;
/** How often reconciliation jobs are queued (one per tenant and hour), in ms. */
const RECONCILIATION_INTERVAL_MS = 15 * 60_000;

/** Hook red packet jobs, the transfer notification route and the periodic sweeps into the server. */
export function registerRedPackets(services: AppServices, notificationRoutes: NotificationRoutes): void {
  services.jobs.register(RED_PACKET_SEND_JOB, redPacketSendJobHandler);
  services.jobs.register(RED_PACKET_RECONCILIATION_JOB, reconciliationJobHandler);
  notificationRoutes.register(TRANSFER_NOTIFICATION_KIND, transferNotificationHandler(services));
  services.maintenance.every("red-packet-grant-recovery", RECOVERY_INTERVAL_MS, () => resumeDueGrants(services));
  services.maintenance.every("failure-notice-delivery", NOTICE_DELIVERY_INTERVAL_MS, () => deliverOutboxNotices(services));
  services.maintenance.every("red-packet-reconciliation-schedule", RECONCILIATION_INTERVAL_MS, () => scheduleReconciliation(services));
}
