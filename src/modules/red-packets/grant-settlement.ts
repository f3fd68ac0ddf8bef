import type { TenantScope } from "../../db/tenant-scope.js";
import { notifyCampaignActivity } from "../../realtime/campaign-activity.js";
import { customerEventKey, recordCustomerEvent, type CustomerEventType } from "../events/customer-event.recorder.js";
import { completeJobItem } from "../jobs/job.repository.js";
import { findMerchantAccountById } from "../merchants/merchant-account.repository.js";
import { queueFailureNotice } from "../notices/failure-notice.repository.js";
import { findGrantByKey, insertGrant, lockGrant, updateGrant, type GrantValues } from "./grant.repository.js";
import { isLimitCode, type PayoutObservation } from "./payout.js";
import { countClaimed, countIssued, countRefunded, countRejected, countReleased } from "./quota.repository.js";
import { findRedPacketById } from "./red-packet.repository.js";
import type { RedPacketGrantRow } from "./red-packet.tables.js";
import type { WorkContext } from "./work-context.js";

/** Observations that change a grant's status; the others only schedule another look. */
export type SettlingObservation = Extract<PayoutObservation, { kind: "issued" | "claimed" | "refunded" | "closed" | "failed" }>;

export interface Settlement {
  grant: RedPacketGrantRow;
  /** False when the grant was already past this step (a replayed notification, a raced sweep). */
  changed: boolean;
}

/** Branchable outcome of a grant for workflows: ISSUED, LIMIT_REACHED or FAILED. */
export function grantOutcome(grant: Pick<RedPacketGrantRow, "status" | "limitReached">): "ISSUED" | "LIMIT_REACHED" | "FAILED" | "PENDING" {
  switch (grant.status) {
    case "ISSUED":
    case "CLAIMED":
    case "REFUNDED":
      return "ISSUED";
    case "FAILED":
      return grant.limitReached ? "LIMIT_REACHED" : "FAILED";
    case "RESERVED":
      return "PENDING";
  }
}

/**
 * Apply what WeChat Pay reported to a grant in one transaction: the grant's status, the red packet's
 * counters (and the day's), the customer event, the failure notice and the workflow item. The grant row
 * is locked first, so a notification, the sweep and the issuing request racing on one grant apply each
 * step once. Live dashboards hear about it after the commit.
 *
 * Steps only move forward: RESERVED → ISSUED → CLAIMED or REFUNDED, and RESERVED → FAILED.
 */
export async function settleGrant(work: WorkContext, grantId: string, observation: SettlingObservation): Promise<Settlement> {
  const settlement = await work.scope.transaction(async (tx) => {
    const locked = await lockGrant(tx, grantId);
    if (!locked) throw new Error(`red packet grant ${grantId} disappeared`);
    return applyObservation(work, tx, locked, observation);
  });

  if (settlement.changed) {
    work.logger.info(
      { grantId, status: settlement.grant.status, wechatState: settlement.grant.wechatState, failureCode: settlement.grant.failureCode },
      "red packet grant settled",
    );
    notifyCampaignActivity(work.services, work.scope.tenantId, settlement.grant.campaignId);
  }
  return settlement;
}

async function applyObservation(work: WorkContext, tx: TenantScope, locked: RedPacketGrantRow, observation: SettlingObservation): Promise<Settlement> {
  const now = work.services.now();
  let grant = locked;
  let changed = false;

  const issue = async (wechatId: string, wechatState: string, packageInfo: string | undefined) => {
    grant = await updateGrant(tx, grant.id, {
      status: "ISSUED",
      wechatId,
      wechatState,
      packageInfo: packageInfo ?? null,
      issuedAt: now,
      leaseUntil: null,
      nextAttemptAt: null,
      failureCode: null,
      failureMessage: null,
    });
    await countIssued(tx, grant);
    await recordGrantEvent(tx, grant, "RED_PACKET_ISSUED", now);
    await completeWorkflowItem(tx, grant);
    changed = true;
  };

  switch (observation.kind) {
    case "issued":
      if (grant.status === "RESERVED") await issue(observation.wechatId, observation.wechatState, observation.packageInfo);
      else if (grant.status === "ISSUED" && !grant.packageInfo && observation.packageInfo) {
        grant = await updateGrant(tx, grant.id, { packageInfo: observation.packageInfo });
      }
      break;

    case "claimed":
      if (grant.status === "RESERVED") await issue(observation.wechatId, observation.wechatState, undefined);
      if (grant.status === "ISSUED") {
        grant = await updateGrant(tx, grant.id, { status: "CLAIMED", claimedAt: now, wechatState: observation.wechatState });
        await countClaimed(tx, grant);
        changed = true;
      }
      break;

    case "refunded":
      if (grant.status === "RESERVED") await issue(observation.wechatId, observation.wechatState, undefined);
      if (grant.status === "ISSUED") {
        grant = await refund(tx, grant, observation.wechatState, "UNCLAIMED", now);
        changed = true;
      }
      break;

    case "closed":
      // A bill that closes before we saw it waiting for the customer never paid: release its quota.
      if (grant.status === "RESERVED") {
        const failure = { code: observation.reason, message: `transfer bill ${observation.wechatState}`, limitReached: isLimitCode(observation.reason) };
        grant = await fail(work, tx, grant, failure, now);
        changed = true;
      } else if (grant.status === "ISSUED") {
        grant = await refund(tx, grant, observation.wechatState, observation.reason, now);
        changed = true;
      }
      break;

    case "failed":
      if (grant.status === "RESERVED") {
        grant = await fail(work, tx, grant, observation, now);
        changed = true;
      }
      break;
  }
  return { grant, changed };
}

async function refund(tx: TenantScope, grant: RedPacketGrantRow, wechatState: string, reason: string, now: Date): Promise<RedPacketGrantRow> {
  const refunded = await updateGrant(tx, grant.id, { status: "REFUNDED", refundedAt: now, wechatState, failureCode: reason });
  await countRefunded(tx, refunded);
  await recordGrantEvent(tx, refunded, "RED_PACKET_REFUNDED", now);
  return refunded;
}

async function fail(
  work: WorkContext,
  tx: TenantScope,
  grant: RedPacketGrantRow,
  failure: { code: string; message: string; limitReached: boolean },
  now: Date,
): Promise<RedPacketGrantRow> {
  const failed = await updateGrant(tx, grant.id, {
    status: "FAILED",
    failedAt: now,
    failureCode: failure.code,
    failureMessage: failure.message,
    limitReached: failure.limitReached,
    leaseUntil: null,
    nextAttemptAt: null,
  });
  await countReleased(tx, failed);
  await recordGrantEvent(tx, failed, "RED_PACKET_FAILED", now);
  await queueNoticeIfEnabled(work, tx, failed);
  await completeWorkflowItem(tx, failed);
  return failed;
}

/**
 * Record a grant that failed before taking quota (a limit, a deleted red packet, a disabled account),
 * with its event, notice and workflow item, in one transaction. When a grant with the same idempotency
 * key exists already, nothing is written and that grant is returned.
 */
export async function recordRejectedGrant(
  work: WorkContext,
  values: Omit<GrantValues, "status">,
): Promise<Settlement> {
  const now = work.services.now();
  const settlement = await work.scope.transaction(async (tx) => {
    const inserted = await insertGrant(tx, { ...values, status: "FAILED", failedAt: now, createdAt: now });
    if (!inserted) return { grant: (await findGrantByKey(tx, values.redPacketId, values.idempotencyKey))!, changed: false };

    await countRejected(tx, inserted);
    await recordGrantEvent(tx, inserted, "RED_PACKET_FAILED", now);
    await queueNoticeIfEnabled(work, tx, inserted);
    await completeWorkflowItem(tx, inserted);
    return { grant: inserted, changed: true };
  });

  if (settlement.changed) {
    work.logger.info({ grantId: settlement.grant.id, failureCode: settlement.grant.failureCode }, "red packet grant rejected");
    notifyCampaignActivity(work.services, work.scope.tenantId, settlement.grant.campaignId);
  }
  return settlement;
}

async function recordGrantEvent(tx: TenantScope, grant: RedPacketGrantRow, type: CustomerEventType, now: Date): Promise<void> {
  await recordCustomerEvent(tx.db, tx.tenantId, {
    eventKey: customerEventKey(type, grant.id),
    type,
    occurredAt: now,
    source: type === "RED_PACKET_REFUNDED" ? "WECHATPAY" : grant.source,
    customerId: grant.customerId,
    openid: grant.openid,
    mobile: grant.mobile,
    campaignId: grant.campaignId,
    merchantAccountId: grant.merchantAccountId,
    redPacketId: grant.redPacketId,
    wechatObjectId: grant.wechatId,
    amount: grant.amount,
    attributes: {
      grantId: grant.id,
      channel: grant.channel,
      requestNo: grant.requestNo,
      ...(type === "RED_PACKET_ISSUED" ? {} : { reason: grant.failureCode, message: grant.failureMessage, limitReached: grant.limitReached }),
    },
  });
}

async function completeWorkflowItem(tx: TenantScope, grant: RedPacketGrantRow): Promise<void> {
  if (grant.jobId === null || grant.jobPosition === null) return;
  await completeJobItem(tx.db, grant.jobId, grant.jobPosition, grantOutcome(grant), {
    grantId: grant.id,
    status: grant.status,
    amount: grant.amount,
    failureCode: grant.failureCode,
  });
}

async function queueNoticeIfEnabled(work: WorkContext, tx: TenantScope, grant: RedPacketGrantRow): Promise<void> {
  const packet = await findRedPacketById(tx, grant.redPacketId);
  if (!packet?.failureNoticeEnabled || !packet.failureNoticeChannel || !packet.failureNoticeText) return;

  const account = await findMerchantAccountById(tx, grant.merchantAccountId);
  const queued = await queueFailureNotice(tx.db, tx.tenantId, {
    grantId: grant.id,
    redPacketId: grant.redPacketId,
    customerId: grant.customerId,
    channel: packet.failureNoticeChannel,
    recipient: {
      appid: grant.appid,
      openid: grant.openid,
      mobile: grant.mobile,
      officialAccountAppid: account?.officialAccountAppid ?? "",
    },
    text: packet.failureNoticeText,
    failureCode: grant.failureCode ?? "UNKNOWN",
  });
  if (queued) work.logger.info({ grantId: grant.id, channel: packet.failureNoticeChannel }, "failure notice queued");
}
