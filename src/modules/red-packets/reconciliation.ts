import { randomUUID } from "node:crypto";
import type { AppServices } from "../../app/services.js";
import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { TenantScope } from "../../db/tenant-scope.js";
import type { WechatPayClient } from "../../wechatpay/index.js";
import type { JobHandler } from "../jobs/job-runner.js";
import { insertJobOnce } from "../jobs/job.repository.js";
import { Job } from "../jobs/job.type.js";
import { findMerchantAccountById } from "../merchants/merchant-account.repository.js";
import { settleGrant } from "./grant-settlement.js";
import { findGrantsToReconcile, findTenantsToReconcile } from "./grant.repository.js";
import { queryPayout, type PayoutObservation } from "./payout.js";
import { finishRun, insertMismatch, startRun } from "./reconciliation.repository.js";
import type { MismatchKind, RedPacketGrantRow } from "./red-packet.tables.js";
import type { WorkContext } from "./work-context.js";

export const RED_PACKET_RECONCILIATION_JOB = "red-packet-reconciliation";

/** Settled grants changed within this window are checked again; in ms. */
const RECENT_MS = 48 * 3_600_000;
/** WeChat Pay returns query results for the last 30 days only; in ms. */
const QUERY_WINDOW_MS = 30 * 24 * 3_600_000;
/** A grant in flight for longer than this is reported, in ms. */
const STUCK_AFTER_MS = 3_600_000;
const PAGE = 100;

/** Queue an hourly reconciliation for every tenant with grants to check; instances share one job per hour. */
export async function scheduleReconciliation(services: AppServices): Promise<number> {
  const tenants = await findTenantsToReconcile(services.db, RECENT_MS);
  const hour = new Date().toISOString().slice(0, 13);
  let queued = 0;
  for (const tenantId of tenants) {
    const { created } = await insertJobOnce(new TenantScope(tenantId, services.db), {
      kind: RED_PACKET_RECONCILIATION_JOB,
      idempotencyKey: `scheduled:${hour}`,
      payload: {},
      totalItems: 0,
    });
    if (created) queued += 1;
  }
  if (queued > 0) services.jobs.wake();
  return queued;
}

/** Queue a reconciliation of the caller's tenant now. */
export async function startReconciliation(ctx: RequestContext): Promise<Job> {
  const { job } = await insertJobOnce(tenantScope(ctx), {
    kind: RED_PACKET_RECONCILIATION_JOB,
    idempotencyKey: `manual:${randomUUID()}`,
    payload: {},
    totalItems: 0,
  });
  ctx.logger.info({ module: "red-packets", jobId: job.id }, "red packet reconciliation queued");
  ctx.services.jobs.wake();
  return Job.fromRow(job);
}

/**
 * Compare recorded grants with WeChat Pay: grants in flight or issued and unclaimed, and grants settled
 * in the last 48 hours. Claims, refunds of unclaimed red packets and closed transfers are recorded, with
 * RED_PACKET_REFUNDED events. Every other difference is stored as a mismatch for an operator. Grants
 * in flight are left to the recovery sweep and reported when stuck.
 */
export const reconciliationJobHandler: JobHandler = async (job, runtime) => {
  const work: WorkContext = { services: runtime.services, scope: runtime.scope, logger: runtime.logger.child({ module: "red-packets" }) };
  const run = await startRun(runtime.scope, job.id, runtime.services.now());
  const clients = new Map<string, WechatPayClient | undefined>();
  const totals = { checkedGrants: 0, updatedGrants: 0, mismatches: 0 };

  let afterId: string | undefined;
  for (;;) {
    if (runtime.isStopping()) return { status: "INTERRUPTED" };
    const grants = await findGrantsToReconcile(runtime.scope, { recentMs: RECENT_MS, maxAgeMs: QUERY_WINDOW_MS, afterId, limit: PAGE });
    if (grants.length === 0) break;
    afterId = grants.at(-1)!.id;

    for (const grant of grants) {
      if (!clients.has(grant.merchantAccountId)) {
        const account = await findMerchantAccountById(runtime.scope, grant.merchantAccountId);
        clients.set(grant.merchantAccountId, account ? runtime.services.wechatPay.clientFor(account) : undefined);
      }
      const client = clients.get(grant.merchantAccountId);
      if (!client) continue;

      const result = await reconcileGrant(work, client, grant, run.id);
      totals.checkedGrants += 1;
      if (result.updated) totals.updatedGrants += 1;
      totals.mismatches += result.mismatches;
    }
  }

  await finishRun(runtime.scope, run.id, { ...totals, finishedAt: runtime.services.now() });
  work.logger.info({ runId: run.id, ...totals }, "red packet reconciliation finished");
  return { status: "SUCCEEDED", result: { runId: run.id, ...totals } };
};

type Verdict = { kind: MismatchKind; detail: string } | { settle: Parameters<typeof settleGrant>[2] } | undefined;

async function reconcileGrant(
  work: WorkContext,
  client: WechatPayClient,
  grant: RedPacketGrantRow,
  runId: string,
): Promise<{ updated: boolean; mismatches: number }> {
  let updated = false;
  let found = 0;
  const report = async (kind: MismatchKind, detail: string, seen?: PayoutObservation) => {
    const inserted = await insertMismatch(work.scope, {
      runId,
      grantId: grant.id,
      redPacketId: grant.redPacketId,
      kind,
      recordedStatus: grant.status,
      recordedAmount: grant.amount,
      wechatState: seen && "wechatState" in seen ? seen.wechatState : (seen?.kind ?? null),
      wechatAmount: seen && "amount" in seen ? (seen.amount ?? null) : null,
      detail,
    });
    if (inserted) {
      found += 1;
      work.logger.warn({ grantId: grant.id, kind, detail }, "red packet reconciliation mismatch");
    }
  };

  if (grant.status === "RESERVED") {
    const ageMs = work.services.now().getTime() - grant.createdAt.getTime();
    if (ageMs > STUCK_AFTER_MS) await report("STUCK_RESERVED", `in flight for ${Math.round(ageMs / 60_000)} minutes; last error ${grant.failureCode ?? "none"}`);
    return { updated, mismatches: found };
  }

  const seen = await queryPayout(client, grant);
  if ("amount" in seen && seen.amount !== undefined && seen.amount !== grant.amount) {
    await report("AMOUNT_DIFFERS", `recorded ${grant.amount} fen, WeChat Pay holds ${seen.amount} fen`, seen);
  }

  const verdict = judge(grant, seen);
  if (verdict && "settle" in verdict) {
    const settlement = await settleGrant(work, grant.id, verdict.settle);
    updated = settlement.changed;
  } else if (verdict) {
    await report(verdict.kind, verdict.detail, seen);
  }
  return { updated, mismatches: found };
}

/** Decide what a recorded status and WeChat Pay's response call for: nothing, an update or a report. */
function judge(grant: RedPacketGrantRow, seen: PayoutObservation): Verdict {
  const paidAtWechat = seen.kind === "issued" || seen.kind === "claimed" || seen.kind === "refunded" || seen.kind === "needsPackage" || seen.kind === "inProgress";
  if (grant.status === "FAILED") {
    if (!paidAtWechat) return undefined;
    return { kind: "PAID_BUT_RECORDED_FAILED", detail: `recorded FAILED (${grant.failureCode ?? "?"}), WeChat Pay reports ${describe(seen)}` };
  }

  switch (seen.kind) {
    case "notFound":
      return { kind: "MISSING_AT_WECHATPAY", detail: `recorded ${grant.status}, WeChat Pay has no payout ${grant.requestNo}` };
    case "retryLater":
    case "unknown":
      return { kind: "QUERY_FAILED", detail: `${seen.code}: ${seen.message}` };
    case "issued":
    case "needsPackage":
    case "inProgress":
      return grant.status === "ISSUED" ? undefined : differs(grant, seen);
    case "claimed":
      if (grant.status === "ISSUED") return { settle: seen };
      return grant.status === "CLAIMED" ? undefined : differs(grant, seen);
    case "refunded":
    case "closed":
      if (grant.status === "ISSUED") return { settle: seen };
      return grant.status === "REFUNDED" ? undefined : differs(grant, seen);
    case "failed":
      return differs(grant, seen);
  }
}

function differs(grant: RedPacketGrantRow, seen: PayoutObservation): Verdict {
  return { kind: "STATE_DIFFERS", detail: `recorded ${grant.status}, WeChat Pay reports ${describe(seen)}` };
}

function describe(seen: PayoutObservation): string {
  return "wechatState" in seen ? seen.wechatState : seen.kind;
}
