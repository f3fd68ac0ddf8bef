import { randomUUID } from "node:crypto";
import { and, eq, ne } from "drizzle-orm";
import type { AppServices } from "../../app/services.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import type { Logger } from "../../logging/logger.js";
import type { WechatPayFailure } from "../../wechatpay/index.js";
import { notifyCampaignActivity } from "../../realtime/campaign-activity.js";
import type { CustomerRow } from "../customers/customer.table.js";
import { customerEventKey, recordCustomerEvents, type CustomerEventInput } from "../events/customer-event.recorder.js";
import { withKeyLease } from "../jobs/key-lease.js";
import type { MerchantAccountRow } from "../merchants/merchant-account.table.js";
import { countLiveGrants, incrementBatchCounters, insertGrantOnce, updateGrant } from "./voucher.repository.js";
import { voucherGrants, type VoucherBatchRow, type VoucherGrantRow, type VoucherGrantSource } from "./voucher.tables.js";

/** Reason a voucher was not issued although nothing failed: a rule of the batch rejected the send. */
export type VoucherLimitReason = "BATCH_EXHAUSTED" | "PER_USER_LIMIT" | "NOT_STARTED" | "ENDED" | "BATCH_NOT_RUNNING";

export type VoucherIssueOutcome =
  | { status: "ISSUED"; grant: VoucherGrantRow; couponId: string }
  | { status: "LIMIT_REACHED"; reason: VoucherLimitReason; grant?: VoucherGrantRow }
  | { status: "FAILED"; code: string; message: string; grant?: VoucherGrantRow }
  /** WeChat Pay's response stayed unknown after the retries, so the recovery sweep settles the grant later. */
  | { status: "PENDING"; grant: VoucherGrantRow };

export interface VoucherIssueRequest {
  batch: VoucherBatchRow;
  account: MerchantAccountRow;
  customer: CustomerRow;
  source: VoucherGrantSource;
  /** Caller's idempotency key; together with batch and customer it fixes the out_request_no. */
  requestKey: string;
  campaignId?: string | null;
  moduleId?: string | null;
  jobId?: string | null;
}

export interface IssuerDeps {
  services: AppServices;
  scope: TenantScope;
  logger: Logger;
}

/** Delays before the second, third and fourth attempt of an unanswered send, in ms. */
const RESEND_DELAYS_MS = [100, 400, 1_600];

/**
 * Issue one voucher to one customer, exactly once per (batch, customer, request key). The grant row and
 * its out_request_no are written before WeChat Pay is called, so every retry, replayed job or restart
 * re-sends the same number, for which WeChat Pay returns the voucher it already sent. Sends to one
 * customer are serialised across instances, because WeChat Pay answers concurrent sends to the same
 * openid with a spurious RULE_LIMIT.
 */
export async function issueVoucher(deps: IssuerDeps, request: VoucherIssueRequest): Promise<VoucherIssueOutcome> {
  const { batch, customer } = request;
  const leaseKey = `voucher-send:${deps.scope.tenantId}:${customer.appid}:${customer.openid}`;

  return withKeyLease(deps.services.db, leaseKey, async () => {
    // The request number derives from the grant id, so it is fixed before the first call leaves.
    const id = randomUUID();
    const { grant, created } = await insertGrantOnce(deps.scope, {
      id,
      batchId: batch.id,
      customerId: customer.id,
      campaignId: request.campaignId ?? batch.campaignId,
      source: request.source,
      requestKey: request.requestKey,
      outRequestNo: `V${id.replaceAll("-", "")}`,
      moduleId: request.moduleId ?? null,
      jobId: request.jobId ?? null,
    });

    const settled = settledOutcome(grant);
    if (settled) return settled;

    if (created) {
      const blocked = checkBatchRules(batch, deps.services.now());
      if (blocked) return failGrant(deps, grant, { limit: blocked });

      const limit = batch.maxCouponsPerUser;
      if (limit !== null && (await countLiveGrants(deps.scope, batch.id, customer.id, grant.id)) >= limit) {
        return failGrant(deps, grant, { limit: "PER_USER_LIMIT" });
      }
    }

    return sendUntilKnown(deps, request, grant);
  });
}

/** Re-send a grant whose outcome is open, with its stored out_request_no; used by the recovery sweep. */
export async function resumeGrant(deps: IssuerDeps, request: VoucherIssueRequest, grant: VoucherGrantRow): Promise<VoucherIssueOutcome> {
  const leaseKey = `voucher-send:${deps.scope.tenantId}:${request.customer.appid}:${request.customer.openid}`;
  return withKeyLease(deps.services.db, leaseKey, () => sendUntilKnown(deps, request, grant));
}

/** Return the local rule that stops a send before WeChat Pay is called, if any. */
export function checkBatchRules(batch: VoucherBatchRow, now: Date): VoucherLimitReason | undefined {
  if (batch.wechatStatus === "stoped" || (batch.stopTime && batch.stopTime <= now)) return "ENDED";
  if (batch.startTime && batch.startTime > now) return "NOT_STARTED";
  if (batch.wechatStatus !== "running") return "BATCH_NOT_RUNNING";
  if (batch.maxCoupons !== null && Math.max(batch.distributedCoupons, batch.issuedCount) >= batch.maxCoupons) {
    return "BATCH_EXHAUSTED";
  }
  return undefined;
}

async function sendUntilKnown(deps: IssuerDeps, request: VoucherIssueRequest, grant: VoucherGrantRow): Promise<VoucherIssueOutcome> {
  const client = deps.services.wechatPay.clientFor(request.account);
  let lastFailure: WechatPayFailure | undefined;

  for (let attempt = 0; attempt <= RESEND_DELAYS_MS.length; attempt++) {
    if (attempt > 0) await sleep(RESEND_DELAYS_MS[attempt - 1]!);
    await updateGrant(deps.scope.db, deps.scope.tenantId, grant.id, { attempts: grant.attempts + attempt + 1 });

    const result = await client.sendCoupon({
      openid: request.customer.openid,
      appid: request.customer.appid,
      stock_id: request.batch.stockId,
      stock_creator_mchid: request.batch.stockCreatorMchid,
      out_request_no: grant.outRequestNo,
    });
    if (result.ok) return settleIssued(deps, request, grant, result.value.coupon_id);

    lastFailure = result;
    if (result.outcome === "definitive") return failGrant(deps, grant, { failure: result });
    deps.logger.warn(
      { module: "vouchers", grantId: grant.id, outRequestNo: grant.outRequestNo, code: result.code, outcome: result.outcome, attempt: attempt + 1 },
      "voucher send outcome open; sending the same request again",
    );
  }

  const pending = await updateGrant(deps.scope.db, deps.scope.tenantId, grant.id, {
    status: "UNKNOWN",
    failureCode: lastFailure?.code ?? null,
    failureMessage: lastFailure?.message ?? null,
  });
  return { status: "PENDING", grant: pending ?? grant };
}

async function settleIssued(deps: IssuerDeps, request: VoucherIssueRequest, grant: VoucherGrantRow, couponId: string): Promise<VoucherIssueOutcome> {
  const now = deps.services.now();
  const collected = request.source === "PAGE";

  const issued = await deps.scope.transaction(async (tx) => {
    // Only the call that moves the grant to ISSUED counts it, so a concurrent resume cannot count twice.
    const [row] = await tx.db
      .update(voucherGrants)
      .set({ status: "ISSUED", couponId, issuedAt: now, failureCode: null, failureMessage: null, updatedAt: now })
      .where(and(eq(voucherGrants.tenantId, tx.tenantId), eq(voucherGrants.id, grant.id), ne(voucherGrants.status, "ISSUED")))
      .returning();
    if (!row) return undefined;

    await incrementBatchCounters(tx.db, tx.tenantId, request.batch.id, { issued: 1, collected: collected ? 1 : 0 });
    const base: Omit<CustomerEventInput, "eventKey" | "type"> = {
      occurredAt: now,
      source: request.source,
      customerId: request.customer.id,
      openid: request.customer.openid,
      mobile: request.customer.mobile,
      campaignId: row.campaignId,
      merchantAccountId: request.account.id,
      voucherBatchId: request.batch.id,
      wechatObjectId: couponId,
      amount: request.batch.couponAmount,
      attributes: { stockId: request.batch.stockId, outRequestNo: row.outRequestNo },
    };
    const events: CustomerEventInput[] = [{ ...base, eventKey: customerEventKey("VOUCHER_ISSUED", row.id), type: "VOUCHER_ISSUED" }];
    if (collected) events.push({ ...base, eventKey: customerEventKey("VOUCHER_COLLECTED", row.id), type: "VOUCHER_COLLECTED" });
    await recordCustomerEvents(tx.db, tx.tenantId, events);
    return row;
  });

  const final = issued ?? { ...grant, status: "ISSUED" as const, couponId };
  if (issued?.campaignId) notifyCampaignActivity(deps.services, deps.scope.tenantId, issued.campaignId);
  deps.logger.info({ module: "vouchers", grantId: grant.id, couponId, stockId: request.batch.stockId }, "voucher issued");
  return { status: "ISSUED", grant: final, couponId: final.couponId ?? couponId };
}

async function failGrant(
  deps: IssuerDeps,
  grant: VoucherGrantRow,
  cause: { limit: VoucherLimitReason } | { failure: WechatPayFailure },
): Promise<VoucherIssueOutcome> {
  const limit = "limit" in cause ? cause.limit : limitReasonOf(cause.failure.code);
  const code = "limit" in cause ? cause.limit : cause.failure.code;
  const message = "limit" in cause ? cause.limit : cause.failure.message;
  const row = await updateGrant(deps.scope.db, deps.scope.tenantId, grant.id, { status: "FAILED", failureCode: code, failureMessage: message });
  deps.logger.info({ module: "vouchers", grantId: grant.id, code }, "voucher not issued");
  if (limit) return { status: "LIMIT_REACHED", reason: limit, grant: row };
  return { status: "FAILED", code, message, grant: row };
}

function settledOutcome(grant: VoucherGrantRow): VoucherIssueOutcome | undefined {
  if (grant.status === "ISSUED" && grant.couponId) return { status: "ISSUED", grant, couponId: grant.couponId };
  if (grant.status !== "FAILED") return undefined;
  const limit = limitReasonOf(grant.failureCode ?? "");
  if (limit) return { status: "LIMIT_REACHED", reason: limit, grant };
  return { status: "FAILED", code: grant.failureCode ?? "UNKNOWN", message: grant.failureMessage ?? "", grant };
}

/** Map WeChat Pay codes that mean a batch rule rejected the send, rather than a fault. */
function limitReasonOf(code: string): VoucherLimitReason | undefined {
  switch (code) {
    case "NOT_ENOUGH":
    case "BATCH_EXHAUSTED":
      return "BATCH_EXHAUSTED";
    case "RULE_LIMIT":
    case "USER_AL_GET_COUPON":
    case "PER_USER_LIMIT":
      return "PER_USER_LIMIT";
    case "NOT_STARTED":
      return "NOT_STARTED";
    case "ENDED":
      return "ENDED";
    case "BATCH_NOT_RUNNING":
      return "BATCH_NOT_RUNNING";
    default:
      return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
