import type { RequestContext } from "../../graphql/context.js";
import { tenantScope } from "../../graphql/context.js";
import { userError, type UserError } from "../../graphql/user-error.js";
import { publishJobProgress } from "../../realtime/job-progress.js";
import { normalizeMobile } from "../customers/mobile.js";
import type { JobHandler } from "../jobs/job-runner.js";
import { findJob, insertJobItems, insertJobOnce } from "../jobs/job.repository.js";
import { Job } from "../jobs/job.type.js";
import type { RedPacketRecipientInput, StartRedPacketSendInput } from "./issuing.inputs.js";
import { issueGrant } from "./issuing.service.js";
import { planSend, remainingQuota } from "./quota.js";
import { findDailyCounters } from "./red-packet.repository.js";
import { getRedPacketRowOrThrow } from "./red-packet.service.js";
import { limitsOf, usageOf } from "./red-packet.type.js";
import { countSendOutcomes, pendingItemsAfter, RED_PACKET_SEND_JOB } from "./send-job.repository.js";
import type { RedPacketSendDryRun, StartRedPacketSendPayload } from "./send.type.js";
import { tenantDay } from "./tenant-day.js";
import type { WorkContext } from "./work-context.js";

/** Most customers one send accepts; larger lists are split into several sends. */
export const MAX_SEND_CUSTOMERS = 50_000;

const MAX_REPORTED_INPUT_ERRORS = 20;
const MAX_DRY_RUN_CUSTOMERS_LISTED = 1000;
const MAX_KEY_LENGTH = 128;

/** Grants a job pays at the same time; WeChat Pay's own rate limit (1800 red packets a minute) still applies. */
const JOB_CONCURRENCY = 8;
const JOB_BATCH = 200;

export interface Recipient {
  appid: string;
  openid: string;
  mobile: string | null;
}

/** Check one customer of an entry point and normalise the mobile number; problems name the input path. */
export function checkRecipient(ctx: RequestContext, input: RedPacketRecipientInput, path: (string | number)[]): { recipient?: Recipient; errors: UserError[] } {
  const errors: UserError[] = [];
  const field = path.join(".");
  const appid = input.appid.trim();
  const openid = input.openid.trim();

  if (!/^[0-9A-Za-z_-]{1,32}$/.test(appid)) {
    errors.push(userError(ctx, "INVALID_APPID", "redPacket.invalidAppid", { field: `${field}.appid`, value: input.appid }, [...path.map(String), "appid"]));
  }
  if (!/^[0-9A-Za-z_-]{1,64}$/.test(openid)) {
    errors.push(userError(ctx, "INVALID_OPENID", "redPacket.invalidOpenid", { field: `${field}.openid`, value: input.openid }, [...path.map(String), "openid"]));
  }

  let mobile: string | null = null;
  if (input.mobile !== undefined && input.mobile !== null && input.mobile.trim() !== "") {
    mobile = normalizeMobile(input.mobile) ?? null;
    if (mobile === null) {
      errors.push(userError(ctx, "INVALID_MOBILE", "redPacket.invalidMobile", { field: `${field}.mobile`, value: input.mobile }, [...path.map(String), "mobile"]));
    }
  }
  return errors.length > 0 ? { errors } : { recipient: { appid, openid, mobile }, errors };
}

export function checkIdempotencyKey(ctx: RequestContext, key: string): UserError[] {
  const length = key.trim().length;
  if (length === 0) return [userError(ctx, "REQUIRED", "validation.required", { field: "idempotencyKey" }, ["idempotencyKey"])];
  if (key.length > MAX_KEY_LENGTH) {
    return [userError(ctx, "TOO_LONG", "validation.tooLong", { field: "idempotencyKey", max: MAX_KEY_LENGTH, length: key.length }, ["idempotencyKey"])];
  }
  return [];
}

/**
 * Start a workflow send: check every customer, then either predict the outcome (dry run) or store a
 * durable job with one item per customer, in one transaction. The same idempotency key returns the job
 * it started before, so a workflow that retries its call pays no customer twice.
 */
export async function startRedPacketSend(ctx: RequestContext, input: StartRedPacketSendInput): Promise<StartRedPacketSendPayload> {
  const scope = tenantScope(ctx);
  const packet = await getRedPacketRowOrThrow(scope, input.redPacketId);

  const userErrors = checkIdempotencyKey(ctx, input.idempotencyKey);
  if (input.customers.length === 0) {
    userErrors.push(userError(ctx, "REQUIRED", "redPacket.customersRequired", { field: "customers" }, ["customers"]));
  }
  if (input.customers.length > MAX_SEND_CUSTOMERS) {
    userErrors.push(
      userError(ctx, "TOO_MANY_CUSTOMERS", "redPacket.tooManyCustomers", { field: "customers", count: input.customers.length, max: MAX_SEND_CUSTOMERS }, ["customers"]),
    );
  }
  if (packet.status === "DELETED") {
    userErrors.push(userError(ctx, "RED_PACKET_DELETED", "redPacket.deleted", { name: packet.name }, ["redPacketId"]));
  }
  if (userErrors.length > 0) return { job: null, dryRun: null, userErrors };

  const recipients: Recipient[] = [];
  const inputErrors: UserError[] = [];
  for (const [index, customer] of input.customers.entries()) {
    const checked = checkRecipient(ctx, customer, ["customers", index]);
    if (checked.recipient) recipients.push(checked.recipient);
    else if (inputErrors.length < MAX_REPORTED_INPUT_ERRORS) inputErrors.push(...checked.errors);
  }
  // A customer listed twice would be paid twice, because each position is its own grant.
  const firstPosition = new Map<string, number>();
  for (const [index, recipient] of recipients.entries()) {
    const key = `${recipient.appid}\u0000${recipient.openid}`;
    const first = firstPosition.get(key);
    if (first === undefined) firstPosition.set(key, index);
    else if (inputErrors.length < MAX_REPORTED_INPUT_ERRORS) {
      inputErrors.push(userError(ctx, "DUPLICATE_CUSTOMER", "redPacket.duplicateCustomer", { index, first }, ["customers", String(index)]));
    }
  }
  if (inputErrors.length > 0) return { job: null, dryRun: null, userErrors: inputErrors.slice(0, MAX_REPORTED_INPUT_ERRORS) };

  if (input.dryRun) {
    const today = await tenantDay(scope, ctx.services.config.defaultTimeZone, ctx.services.now());
    const daily = (await findDailyCounters(scope, [packet.id], today)).get(packet.id);
    return { job: null, dryRun: dryRunOf(packet, daily, recipients), userErrors: [] };
  }

  const key = input.idempotencyKey.trim();
  const { job, created } = await scope.transaction(async (tx) => {
    const inserted = await insertJobOnce(tx, { kind: RED_PACKET_SEND_JOB, idempotencyKey: key, payload: { redPacketId: packet.id }, totalItems: recipients.length });
    if (inserted.created) await insertJobItems(tx, inserted.job.id, recipients.map((recipient) => ({ ...recipient })));
    return inserted;
  });

  if (!created && job.payload.redPacketId !== packet.id) {
    return {
      job: null,
      dryRun: null,
      userErrors: [userError(ctx, "IDEMPOTENCY_KEY_REUSED", "redPacket.idempotencyKeyReused", { field: "idempotencyKey", key }, ["idempotencyKey"])],
    };
  }
  if (created) {
    ctx.logger.info({ module: "red-packets", jobId: job.id, redPacketId: packet.id, customers: recipients.length }, "red packet send queued");
    ctx.services.jobs.wake();
  }
  return { job: Job.fromRow(job), dryRun: null, userErrors: [] };
}

function dryRunOf(packet: Parameters<typeof usageOf>[0], daily: Parameters<typeof usageOf>[1], recipients: Recipient[]): RedPacketSendDryRun {
  const limits = limitsOf(packet);
  const usage = usageOf(packet, daily);
  const plan = planSend({ limits, usage, minAmount: packet.minAmount, maxAmount: packet.maxAmount, customers: recipients.length });

  const limitedCustomers = recipients
    .slice(plan.guaranteed, plan.guaranteed + MAX_DRY_RUN_CUSTOMERS_LISTED)
    .map((recipient, offset) => {
      const position = plan.guaranteed + offset;
      return { position, appid: recipient.appid, openid: recipient.openid, certain: position >= plan.possible };
    });

  return {
    customers: recipients.length,
    guaranteedGrants: plan.guaranteed,
    possibleGrants: plan.possible,
    bindingLimit: plan.bindingLimit ?? null,
    remaining: remainingQuota(limits, usage),
    limitedCount: recipients.length - plan.guaranteed,
    limitedCustomers,
  };
}

/**
 * Pays a workflow send's customers in list order, a few at a time. Each item is marked done in the
 * transaction that settles its grant, so a restarted job skips what was paid and resumes what is in
 * flight. Items whose payout is still in flight when the pass ends are settled later by the recovery
 * sweep, which completes their items then.
 */
export const redPacketSendJobHandler: JobHandler = async (job, runtime) => {
  const work: WorkContext = { services: runtime.services, scope: runtime.scope, logger: runtime.logger.child({ module: "red-packets" }) };
  const redPacketId = String(job.payload.redPacketId);
  let afterPosition = -1;
  let errors = 0;

  for (;;) {
    if (runtime.isStopping()) return { status: "INTERRUPTED" };
    const items = await pendingItemsAfter(runtime.services.db, job.id, afterPosition, JOB_BATCH);
    if (items.length === 0) break;
    afterPosition = items.at(-1)!.position;

    await runConcurrently(items, JOB_CONCURRENCY, async (item) => {
      if (runtime.isStopping()) return;
      const input = item.input as unknown as Recipient;
      try {
        await issueGrant(work, {
          redPacketId,
          customer: { appid: input.appid, openid: input.openid, mobile: input.mobile },
          idempotencyKey: `job:${job.id}:${item.position}`,
          source: "WORKFLOW",
          job: { id: job.id, position: item.position },
        });
      } catch (error) {
        errors += 1;
        work.logger.error({ err: error, jobId: job.id, position: item.position }, "red packet send item failed; the job will retry it");
      }
    });

    const current = await findJob(runtime.scope, job.id);
    if (current) {
      publishJobProgress(runtime.services, { tenantId: job.tenantId, jobId: job.id, processed: current.processedItems, total: current.totalItems, status: "RUNNING" });
    }
  }

  if (runtime.isStopping()) return { status: "INTERRUPTED" };
  // Thrown so the runner retries the job later; items already settled are skipped then.
  if (errors > 0) throw new Error(`${errors} items of red packet send ${job.id} failed with an error`);

  const outcomes = await countSendOutcomes(runtime.services.db, job.id);
  return { status: "SUCCEEDED", result: outcomes };
};

/** Run `work` over `items` with at most `limit` running at once. */
async function runConcurrently<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
