import type { AppServices } from "../../app/services.js";
import { TenantScope } from "../../db/tenant-scope.js";
import type { NotificationHandler } from "../../http/notification-routes.js";
import { verifyNotification } from "../merchants/notification-verifier.js";
import { settleGrant } from "./grant-settlement.js";
import { findGrantByRequestNo } from "./grant.repository.js";
import { fromTransferState } from "./payout.js";

/**
 * Handles MCHTRANSFER.BILL.FINISHED for red packets paid by merchant transfer: SUCCESS marks the grant
 * claimed; FAIL or CANCELLED (expiry after 24 hours included) refunds an issued grant or releases the
 * quota of one still in flight. Nothing is read before the signature checks out, and replays change
 * nothing because each step applies once.
 */
export function transferNotificationHandler(services: AppServices): NotificationHandler {
  return async (input) => {
    const verified = await verifyNotification(services, input);
    if (!verified.ok) return verified.outcome;

    const { account, notification } = verified;
    const logger = services.logger.child({ module: "red-packets", tenantId: account.tenantId, merchantAccountId: account.id });
    if (notification.kind !== "transfer") {
      logger.warn({ eventType: notification.event_type }, "unexpected notification on the transfer route; acknowledged");
      return { status: 204 };
    }

    const bill = notification.resource;
    const scope = new TenantScope(account.tenantId, services.db);
    const grant = await findGrantByRequestNo(scope, account.id, bill.out_bill_no);
    if (!grant) {
      // Grants store their out_bill_no before WeChat Pay is called, so this bill was not made here.
      logger.warn({ outBillNo: bill.out_bill_no, state: bill.state }, "transfer notification for an unknown bill; acknowledged");
      return { status: 204 };
    }
    if (bill.transfer_amount !== grant.amount) {
      logger.error({ grantId: grant.id, recorded: grant.amount, notified: bill.transfer_amount }, "transfer amount differs from the grant");
    }

    const observation = fromTransferState(bill.state, bill.transfer_bill_no, bill.fail_reason, undefined);
    if (observation.kind === "claimed" || observation.kind === "closed") {
      await settleGrant({ services, scope, logger: logger.child({ grantId: grant.id }) }, grant.id, observation);
    }
    return { status: 204 };
  };
}
