import { randomInt } from "node:crypto";
import { DomainError } from "../../graphql/errors.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import { translate } from "../../i18n/messages.js";
import { ownFailureKey } from "./failure-codes.js";
import { WechatPayProgrammingError } from "../../wechatpay/index.js";
import { upsertCustomer } from "../customers/customer.repository.js";
import { findMerchantAccountById } from "../merchants/merchant-account.repository.js";
import type { MerchantAccountRow } from "../merchants/merchant-account.table.js";
import { recordRejectedGrant, settleGrant } from "./grant-settlement.js";
import { assignRequest, claimGrantLease, countAttempt, findGrantById, findGrantByKey, insertGrant, postponeGrant, type GrantValues } from "./grant.repository.js";
import { cashRedPacketRequest, queryPayout, sendPayout, transferRequest, type PayoutObservation } from "./payout.js";
import { reserveQuota } from "./quota.repository.js";
import { publishQuotaWarnings, recordQuotaWarnings } from "./quota-warnings.js";
import { findRedPacketById } from "./red-packet.repository.js";
import type { GrantSource, QuotaLimitKind, RedPacketGrantRow, RedPacketQuotaWarningRow, RedPacketRow } from "./red-packet.tables.js";
import { grantRequestNo } from "./request-number.js";
import { tenantDay } from "./tenant-day.js";
import type { WorkContext } from "./work-context.js";

/** A request for one red packet for one customer, from any entry point. Ids are row ids. */
export interface GrantRequest {
  redPacketId: string;
  customer: { appid: string; openid: string; mobile?: string | null };
  /** Same key, same grant: repeating a request never pays twice. */
  idempotencyKey: string;
  source: GrantSource;
  /** The workflow job item this grant settles. */
  job?: { id: string; position: number };
}

/**
 * Seams for fault tests. `afterReservation` runs after the reservation committed and before WeChat Pay
 * is called. Throwing from it leaves the grant exactly as a crash at that point would.
 */
export interface IssueHooks {
  afterReservation?: (grant: RedPacketGrantRow) => Promise<void>;
}

/** How long one worker owns a grant's next step before the recovery sweep may take over, in ms. */
export const GRANT_LEASE_MS = 60_000;

/** Send-and-query rounds one attempt makes before leaving the grant to the recovery sweep. */
const MAX_ROUNDS = 3;

const FIRST_RETRY_DELAY_MS = 10_000;
const MAX_RETRY_DELAY_MS = 30 * 60_000;

/** The notify_url route of merchant transfer notifications for one merchant account. */
export const TRANSFER_NOTIFICATION_KIND = "red-packet-transfer";

/**
 * Issue one red packet: the single path behind the workflow send, the lucky-draw prize and the form
 * action.
 *
 * 1. A repeated idempotency key returns the grant it made (resuming it if its payout is in flight).
 * 2. The amount is drawn once (crypto.randomInt) and the quota reserved against all four limits in the
 *    transaction that inserts the grant with its request number and request body.
 * 3. WeChat Pay is called with that number. An unknown outcome is queried and resent with the same
 *    number and body, and only a definitive failure releases the reservation.
 * 4. The result, the customer event and the counters are written in one transaction, and live
 *    dashboards are notified after it commits.
 *
 * A grant still in flight when this returns (RESERVED) is finished by the recovery sweep.
 */
export async function issueGrant(work: WorkContext, request: GrantRequest, hooks: IssueHooks = {}): Promise<RedPacketGrantRow> {
  const { scope, services } = work;
  const existing = await findGrantByKey(scope, request.redPacketId, request.idempotencyKey);
  if (existing && (existing.appid !== request.customer.appid || existing.openid !== request.customer.openid)) {
    // The same key for another customer is a caller bug, and paying no one is safer than guessing.
    throw new DomainError("CONFLICT", "IDEMPOTENCY_KEY_REUSED", "redPacket.keyUsedForOtherCustomer", { key: request.idempotencyKey }, { field: "idempotencyKey" });
  }
  if (existing) return existing.status === "RESERVED" ? resumeGrant(work, existing) : existing;

  const packet = await findRedPacketById(scope, request.redPacketId);
  if (!packet) {
    throw new DomainError("NOT_FOUND", "RED_PACKET_NOT_FOUND", "redPacket.notFound", { id: toGlobalId("RedPacket", request.redPacketId) });
  }
  const account = await findMerchantAccountById(scope, packet.merchantAccountId);
  if (!account) throw new Error(`merchant account ${packet.merchantAccountId} of red packet ${packet.id} is missing`);

  const customer = await upsertCustomer(scope, request.customer);
  const base = {
    redPacketId: packet.id,
    campaignId: packet.campaignId,
    merchantAccountId: account.id,
    customerId: customer.id,
    appid: request.customer.appid,
    openid: request.customer.openid,
    mobile: request.customer.mobile ?? customer.mobile,
    source: request.source,
    idempotencyKey: request.idempotencyKey,
    jobId: request.job?.id ?? null,
    jobPosition: request.job?.position ?? null,
    channel: account.payoutChannel,
    amount: drawAmount(packet),
  };

  const rejection = rejectionOf(packet, account, request.customer.appid);
  if (rejection) {
    const { grant } = await recordRejectedGrant(work, { ...base, failureCode: rejection, failureMessage: englishReason(rejection, base.appid) });
    return grant;
  }

  const now = services.now();
  const day = await tenantDay(scope, services.config.defaultTimeZone, now);
  const reservation = await reserveGrant(work, { packet, account, base, day, now });
  switch (reservation.kind) {
    case "existing":
      return reservation.grant.status === "RESERVED" ? resumeGrant(work, reservation.grant) : reservation.grant;

    case "rejected": {
      const code = reservation.reason === "RED_PACKET_DELETED" ? reservation.reason : (`${reservation.reason}_LIMIT` as const);
      const { grant } = await recordRejectedGrant(work, {
        ...base,
        failureCode: code,
        failureMessage: englishReason(code, base.appid),
        limitReached: code !== "RED_PACKET_DELETED",
      });
      return grant;
    }

    case "reserved":
      work.logger.info(
        { grantId: reservation.grant.id, redPacketId: packet.id, amount: base.amount, requestNo: reservation.grant.requestNo, day },
        "red packet quota reserved",
      );
      publishQuotaWarnings(services, reservation.warnings);
      await hooks.afterReservation?.(reservation.grant);
      return driveGrant(work, reservation.grant, { queryFirst: false });
  }
}

/** Return the fixed amount, or draw one uniformly from [min, max] with the CSPRNG (crypto.randomInt). */
function drawAmount(packet: RedPacketRow): number {
  return packet.amountMode === "FIXED" ? packet.minAmount : randomInt(packet.minAmount, packet.maxAmount + 1);
}

type RejectionCode = "RED_PACKET_DELETED" | "MERCHANT_ACCOUNT_DISABLED" | "APPID_NOT_PAYABLE" | "TRANSFER_SCENE_MISSING";

/** Reasons to fail a grant before touching quota or WeChat Pay. */
function rejectionOf(packet: RedPacketRow, account: MerchantAccountRow, appid: string): RejectionCode | undefined {
  if (packet.status === "DELETED") return "RED_PACKET_DELETED";
  if (account.status !== "ENABLED") return "MERCHANT_ACCOUNT_DISABLED";

  // A cash red packet goes to an openid under the official account; a transfer to any AppID bound to the merchant.
  const payable = account.payoutChannel === "CASH_RED_PACKET" ? [account.officialAccountAppid] : [account.officialAccountAppid, account.miniProgramAppid];
  if (!payable.includes(appid)) return "APPID_NOT_PAYABLE";
  if (account.payoutChannel === "MERCHANT_TRANSFER" && !account.transferSceneId) return "TRANSFER_SCENE_MISSING";
  return undefined;
}

function englishReason(code: string, appid: string): string {
  const key = ownFailureKey(code);
  return key ? translate("en", key, { appid }) : code;
}

type ReservationOutcome =
  | { kind: "reserved"; grant: RedPacketGrantRow; warnings: RedPacketQuotaWarningRow[] }
  | { kind: "rejected"; reason: QuotaLimitKind | "RED_PACKET_DELETED" }
  | { kind: "existing"; grant: RedPacketGrantRow };

class QuotaRejected extends Error {
  constructor(readonly reason: QuotaLimitKind | "RED_PACKET_DELETED") {
    super(`quota rejected: ${reason}`);
  }
}

class IdempotencyKeyTaken extends Error {}

/**
 * Insert the grant and reserve its quota in one transaction. A rejected reservation or a concurrent
 * grant with the same key rolls the whole transaction back, so no quota stays taken without a grant.
 */
async function reserveGrant(
  work: WorkContext,
  input: {
    packet: RedPacketRow;
    account: MerchantAccountRow;
    base: Omit<GrantValues, "status">;
    day: string;
    now: Date;
  },
): Promise<ReservationOutcome> {
  const { base, account, day, now } = input;
  try {
    return await work.scope.transaction(async (tx) => {
      // The grant row comes first: its unique key may wait for a transaction settling a grant with the
      // same key, and that transaction locks the red packet row next, so holding that row here would
      // deadlock. Grant, then red packet, then day is the lock order of every transaction.
      const inserted = await insertGrant(tx, { ...base, status: "RESERVED", quotaDay: day, createdAt: now });
      if (!inserted) throw new IdempotencyKeyTaken();

      const quota = await reserveQuota(tx, { redPacketId: input.packet.id, amount: base.amount, day, now });
      if (!quota.ok) throw new QuotaRejected(quota.reason);

      // The texts come from the row just locked, so they are the settings this reservation counted against.
      const requestNo = grantRequestNo(account.mchid, now, inserted.billSerial);
      const body =
        base.channel === "CASH_RED_PACKET"
          ? cashRedPacketRequest(quota.packet, account, base)
          : transferRequest(quota.packet, account, base, transferNotifyUrl(work, account.id));
      const grant = await assignRequest(tx, inserted.id, { requestNo, request: body, leaseMs: GRANT_LEASE_MS });

      const warnings = await recordQuotaWarnings(tx, { packet: quota.packet, before: quota.before, after: quota.after, day, grantId: grant.id, now });
      return { kind: "reserved" as const, grant, warnings };
    });
  } catch (error) {
    if (error instanceof QuotaRejected) return { kind: "rejected", reason: error.reason };
    if (error instanceof IdempotencyKeyTaken) {
      return { kind: "existing", grant: (await findGrantByKey(work.scope, base.redPacketId, base.idempotencyKey))! };
    }
    throw error;
  }
}

function transferNotifyUrl(work: WorkContext, merchantAccountId: string): string {
  return `${work.services.publicBaseUrl()}/wechatpay/notify/${TRANSFER_NOTIFICATION_KIND}/${merchantAccountId}`;
}

/**
 * Take over a reserved grant (after a crash, a postponed retry or a repeated request) and drive it
 * on, starting with a query. Returns the grant unchanged while another worker has its lease or its
 * next attempt is not due.
 */
export async function resumeGrant(work: WorkContext, grant: RedPacketGrantRow, options: { ignoreSchedule?: boolean } = {}): Promise<RedPacketGrantRow> {
  const claimed = await claimGrantLease(work.scope, grant.id, GRANT_LEASE_MS, options.ignoreSchedule);
  if (!claimed) return (await findGrantById(work.scope, grant.id)) ?? grant;
  work.logger.info({ grantId: grant.id, attempts: claimed.attempts, requestNo: claimed.requestNo }, "resuming red packet grant");
  return driveGrant(work, claimed, { queryFirst: true });
}

/**
 * Move a reserved grant, whose lease this worker holds, towards a final state. Every send uses the
 * grant's stored request number and body. A definitive failure after an earlier attempt (or for any
 * transfer) is confirmed by a query before the quota is released, because an earlier attempt may have
 * paid.
 */
async function driveGrant(work: WorkContext, grant: RedPacketGrantRow, options: { queryFirst: boolean }): Promise<RedPacketGrantRow> {
  const account = await findMerchantAccountById(work.scope, grant.merchantAccountId);
  if (!account) throw new Error(`merchant account ${grant.merchantAccountId} of grant ${grant.id} is missing`);
  const client = work.services.wechatPay.clientFor(account);
  const log = work.logger.child({ grantId: grant.id, requestNo: grant.requestNo, channel: grant.channel });

  let queryFirst = options.queryFirst;
  let unconfirmedFailure: Extract<PayoutObservation, { kind: "failed" }> | undefined;
  let attempts = grant.attempts;

  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    if (queryFirst) {
      const seen = await queryPayout(client, grant);
      log.info({ observed: seen.kind }, "red packet payout queried");
      switch (seen.kind) {
        case "issued":
        case "claimed":
        case "refunded":
        case "closed":
        case "failed":
          return (await settleGrant(work, grant.id, seen)).grant;
        case "notFound":
          if (unconfirmedFailure) return (await settleGrant(work, grant.id, unconfirmedFailure)).grant;
          break;
        case "needsPackage":
          break;
        case "inProgress":
          return postpone(work, grant, attempts, { code: seen.wechatState, message: "WeChat Pay is still processing the payout" });
        case "retryLater":
        case "unknown":
          return postpone(work, grant, attempts, seen);
      }
    }

    let sent: PayoutObservation;
    await countAttempt(work.scope, grant.id);
    attempts += 1;
    try {
      sent = await sendPayout(client, grant);
    } catch (error) {
      // The client checks the request before sending anything, so a rejected body never reached WeChat Pay.
      if (!(error instanceof WechatPayProgrammingError)) throw error;
      log.error({ err: error }, "red packet request rejected before sending");
      return (await settleGrant(work, grant.id, { kind: "failed", code: "INVALID_REQUEST", message: error.message, limitReached: false })).grant;
    }
    log.info({ attempt: attempts, observed: sent.kind, ...("code" in sent ? { code: sent.code } : {}) }, "red packet payout sent");

    switch (sent.kind) {
      case "issued":
      case "claimed":
      case "refunded":
      case "closed":
        return (await settleGrant(work, grant.id, sent)).grant;
      case "failed":
        if (attempts > 1 || grant.channel === "MERCHANT_TRANSFER") {
          unconfirmedFailure = sent;
          queryFirst = true;
          continue;
        }
        return (await settleGrant(work, grant.id, sent)).grant;
      case "unknown":
        queryFirst = true;
        continue;
      case "retryLater":
        return postpone(work, grant, attempts, sent);
      case "inProgress":
        return postpone(work, grant, attempts, { code: sent.wechatState, message: "WeChat Pay is still processing the payout" });
      case "notFound":
      case "needsPackage":
        return postpone(work, grant, attempts, { code: "NO_PACKAGE_INFO", message: "the transfer bill came back without package_info" });
    }
  }
  return postpone(work, grant, attempts, { code: "OUTCOME_UNKNOWN", message: `no definite response after ${MAX_ROUNDS} rounds` });
}

/** Leave the grant RESERVED for the recovery sweep, after a delay that doubles with each attempt. */
async function postpone(
  work: WorkContext,
  grant: RedPacketGrantRow,
  attempts: number,
  lastError: { code: string; message: string },
): Promise<RedPacketGrantRow> {
  const delayMs = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  const row = await postponeGrant(work.scope, grant.id, delayMs, lastError);
  work.logger.warn({ grantId: grant.id, attempts, delayMs, code: lastError.code, message: lastError.message }, "red packet payout postponed");
  return row ?? (await findGrantById(work.scope, grant.id))!;
}
