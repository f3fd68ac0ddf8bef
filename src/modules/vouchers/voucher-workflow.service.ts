import { createHash } from "node:crypto";
import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { parseGlobalId, toGlobalId } from "../../graphql/relay/global-id.js";
import { TenantScope } from "../../db/tenant-scope.js";
import { publishJobProgress } from "../../realtime/job-progress.js";
import { getCampaignRowOrThrow } from "../campaigns/campaign.service.js";
import { normalizeMobile } from "../customers/mobile.js";
import { upsertCustomers } from "../customers/customer.repository.js";
import { findMerchantAccountById } from "../merchants/merchant-account.repository.js";
import { assertMerchantEnabled } from "../merchants/merchant-account.service.js";
import type { JobHandler, JobRuntime } from "../jobs/job-runner.js";
import { completeJobItem, countItemOutcomes, findJob, insertJobItems, insertJobOnce, pendingJobItems } from "../jobs/job.repository.js";
import type { JobItemRow, JobRow } from "../jobs/job.tables.js";
import { findBatchById } from "./voucher.repository.js";
import { getBatchRowOrThrow } from "./voucher-batch.service.js";
import { issueVoucher } from "./voucher-issuer.js";

export const VOUCHER_ISSUE_JOB = "voucher-issue";

/** Largest customer list one workflow send accepts. */
export const MAX_WORKFLOW_CUSTOMERS = 50_000;

/** Customers one job instance serves at the same time; sends to one customer still go one by one. */
const PARALLEL_SENDS = 16;

/** Items read per round; the round ends when all of them are done or the server is stopping. */
const ITEMS_PER_ROUND = 500;

interface WorkflowCustomer {
  appid: string;
  openid: string;
  mobile?: string | null;
}

interface VoucherJobPayload extends Record<string, unknown> {
  batchId: string;
  campaignId: string | null;
  /** SHA-256 of the batch, campaign and customer list, to recognise a reused idempotency key. */
  fingerprint?: string;
}

/**
 * Queue a workflow's bulk send: the list is stored as job items and sent by a durable job, so the work
 * survives a restart. Submitting the same idempotency key again returns the first job and sends nothing.
 */
export async function startVoucherIssueJob(
  ctx: RequestContext,
  input: { batchId: string; customers: WorkflowCustomer[]; idempotencyKey: string; campaignId?: string | null },
): Promise<JobRow> {
  const scope = tenantScope(ctx);
  const batch = await getBatchRowOrThrow(scope, input.batchId);
  const account = (await findMerchantAccountById(scope, batch.merchantAccountId))!;
  assertMerchantEnabled(account);
  const campaign = input.campaignId ? await getCampaignRowOrThrow(ctx, input.campaignId) : undefined;

  if (input.customers.length > MAX_WORKFLOW_CUSTOMERS) {
    throw new DomainError("BAD_USER_INPUT", "TOO_MANY_CUSTOMERS", "voucher.tooManyCustomers", {
      max: MAX_WORKFLOW_CUSTOMERS,
      count: input.customers.length,
    }, { field: "customers" });
  }
  const items = input.customers.map((customer, index) => {
    if (!validId(customer.appid) || !validId(customer.openid)) {
      throw new DomainError("BAD_USER_INPUT", "INVALID_CUSTOMER", "voucher.invalidCustomer", { index }, { field: `customers.${index}` });
    }
    const mobile = customer.mobile ? (normalizeMobile(customer.mobile) ?? null) : null;
    return { appid: customer.appid, openid: customer.openid, mobile };
  });
  const seen = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    const key = `${item.appid}\u0000${item.openid}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new DomainError("BAD_USER_INPUT", "DUPLICATE_CUSTOMER", "voucher.duplicateCustomer", { index, first }, { field: `customers.${index}` });
    }
    seen.set(key, index);
  }
  if (items.length === 0) {
    throw new DomainError("BAD_USER_INPUT", "NO_CUSTOMERS", "voucher.noCustomers", {}, { field: "customers" });
  }
  if (!/^[\x21-\x7e]{1,128}$/.test(input.idempotencyKey)) {
    throw new DomainError("BAD_USER_INPUT", "INVALID_IDEMPOTENCY_KEY", "voucher.invalidIdempotencyKey", {}, { field: "idempotencyKey" });
  }
  // The same key with another list is a different send, most likely a workflow bug, so it is rejected
  // instead of silently returning the first job.
  const fingerprint = createHash("sha256")
    .update(JSON.stringify([batch.id, campaign?.id ?? null, items.map((item) => [item.appid, item.openid])]))
    .digest("hex");

  const { job, created } = await scope.transaction(async (tx) => {
    const inserted = await insertJobOnce(tx, {
      kind: VOUCHER_ISSUE_JOB,
      idempotencyKey: input.idempotencyKey,
      payload: { batchId: batch.id, campaignId: campaign?.id ?? batch.campaignId, fingerprint } satisfies VoucherJobPayload,
      totalItems: items.length,
    });
    if (inserted.created) await insertJobItems(tx, inserted.job.id, items);
    return inserted;
  });

  if (!created && (job.payload as VoucherJobPayload).fingerprint !== fingerprint) {
    throw new DomainError("CONFLICT", "IDEMPOTENCY_KEY_REUSED", "voucher.idempotencyKeyReused", { value: input.idempotencyKey }, { field: "idempotencyKey" });
  }
  if (created) {
    ctx.logger.info({ module: "vouchers", jobId: job.id, customers: items.length }, "voucher issuing job queued");
    ctx.services.jobs.wake();
  }
  return job;
}

export async function getVoucherIssueJob(ctx: RequestContext, globalId: string): Promise<JobRow | undefined> {
  const job = await findJob(tenantScope(ctx), parseGlobalId("Job", globalId));
  return job?.kind === VOUCHER_ISSUE_JOB ? job : undefined;
}

/** The job handler: sends to every pending item, a few customers at a time, and records each outcome. */
export const voucherIssueJobHandler: JobHandler = async (job, runtime) => {
  const payload = job.payload as VoucherJobPayload;
  const scope = new TenantScope(job.tenantId, runtime.services.db);
  const batch = await findBatchById(scope, payload.batchId);
  const account = batch ? await findMerchantAccountById(scope, batch.merchantAccountId) : undefined;
  if (!batch || !account) throw new Error(`batch ${payload.batchId} of job ${job.id} no longer exists`);

  let lastPublished = 0;
  for (;;) {
    if (runtime.isStopping()) return { status: "INTERRUPTED" };
    const items = await pendingJobItems(runtime.services.db, job.id, ITEMS_PER_ROUND);
    if (items.length === 0) break;

    const customers = await upsertCustomers(scope, items.map((item) => item.input as unknown as WorkflowCustomer));
    const queue = items.map((item, index) => ({ item, customer: customers[index]! }));
    let settled = 0;
    await Promise.all(
      Array.from({ length: Math.min(PARALLEL_SENDS, queue.length) }, async () => {
        for (let next = queue.shift(); next && !runtime.isStopping(); next = queue.shift()) {
          if (await sendItem(runtime, job, { batch, account, payload }, next.item, next.customer)) settled++;
        }
      }),
    );

    if (Date.now() - lastPublished > 500) {
      lastPublished = Date.now();
      const fresh = await findJob(scope, job.id);
      publishJobProgress(runtime.services, {
        tenantId: job.tenantId,
        jobId: job.id,
        processed: fresh?.processedItems ?? 0,
        total: job.totalItems,
        status: "RUNNING",
      });
    }
    // Items whose send stayed unknown stay pending. A round that settles none of them hands the job back
    // to the runner, which retries it with backoff instead of spinning here.
    if (settled === 0 && !runtime.isStopping()) {
      throw new Error(`voucher sends of job ${job.id} have an unknown outcome; retrying later`);
    }
  }

  const outcomes = await countItemOutcomes(runtime.services.db, job.id);
  publishJobProgress(runtime.services, { tenantId: job.tenantId, jobId: job.id, processed: job.totalItems, total: job.totalItems, status: "SUCCEEDED" });
  return { status: "SUCCEEDED", result: { outcomes } };
};

async function sendItem(
  runtime: JobRuntime,
  job: JobRow,
  context: { batch: NonNullable<Awaited<ReturnType<typeof findBatchById>>>; account: NonNullable<Awaited<ReturnType<typeof findMerchantAccountById>>>; payload: VoucherJobPayload },
  item: JobItemRow,
  customer: Awaited<ReturnType<typeof upsertCustomers>>[number],
): Promise<boolean> {
  const scope = new TenantScope(job.tenantId, runtime.services.db);
  const outcome = await issueVoucher(
    { services: runtime.services, scope, logger: runtime.logger },
    {
      batch: context.batch,
      account: context.account,
      customer,
      source: "WORKFLOW",
      // Position within the job: a replayed or re-claimed job sends the same request again.
      requestKey: `job:${job.id}:${item.position}`,
      campaignId: context.payload.campaignId,
      jobId: job.id,
    },
  );

  if (outcome.status === "PENDING") return false;
  const detail: Record<string, unknown> =
    outcome.status === "ISSUED"
      ? { couponId: outcome.couponId, customerId: toGlobalId("Customer", customer.id) }
      : outcome.status === "LIMIT_REACHED"
        ? { reason: outcome.reason }
        : { code: outcome.code, message: outcome.message };
  await completeJobItem(runtime.services.db, job.id, item.position, outcome.status, detail);
  return true;
}

function validId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 128;
}
