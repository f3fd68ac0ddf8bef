import { requireActor, tenantScope, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { parseGlobalId, toGlobalId } from "../../graphql/relay/global-id.js";
import { decodeCursor, pageSize, toConnection } from "../../graphql/relay/pagination.js";
import { userError } from "../../graphql/user-error.js";
import { findMerchantAccountById } from "../merchants/merchant-account.repository.js";
import { countGrants, findGrantById, findTransfersAwaitingConfirmation, listGrants } from "./grant.repository.js";
import { RedPacketGrant, RedPacketTransferConfirmation } from "./grant.type.js";
import type { AwardRedPacketPrizeInput, IssueRedPacketForFormInput, RedPacketGrantFilter } from "./issuing.inputs.js";
import { issueGrant, resumeGrant } from "./issuing.service.js";
import { findRedPacketById } from "./red-packet.repository.js";
import type { GrantSource, RedPacketGrantRow } from "./red-packet.tables.js";
import { getRedPacketRowOrThrow } from "./red-packet.service.js";
import type { RedPacketGrantPayload } from "./send.type.js";
import { checkIdempotencyKey, checkRecipient } from "./send-job.service.js";
import { workContextOf } from "./work-context.js";

/** WeChat Pay closes a merchant transfer the customer has not confirmed after 24 hours. */
const TRANSFER_CONFIRM_WINDOW_MS = 24 * 3_600_000;

/** Pay a lucky draw's prize: one red packet, paid before the call returns unless WeChat Pay leaves it open. */
export function awardRedPacketPrize(ctx: RequestContext, input: AwardRedPacketPrizeInput): Promise<RedPacketGrantPayload> {
  return issueSingleGrant(ctx, input, "LUCKY_DRAW");
}

/** Pay one red packet as a form's post-submission action, like a prize. */
export function issueRedPacketForForm(ctx: RequestContext, input: IssueRedPacketForFormInput): Promise<RedPacketGrantPayload> {
  return issueSingleGrant(ctx, input, "FORM");
}

async function issueSingleGrant(
  ctx: RequestContext,
  input: AwardRedPacketPrizeInput | IssueRedPacketForFormInput,
  source: GrantSource,
): Promise<RedPacketGrantPayload> {
  const work = workContextOf(ctx);
  const packet = await getRedPacketRowOrThrow(work.scope, input.redPacketId);
  const checked = checkRecipient(ctx, input.customer, ["customer"]);
  const userErrors = [...checkIdempotencyKey(ctx, input.idempotencyKey), ...checked.errors];
  if (userErrors.length > 0 || !checked.recipient) return { grant: null, userErrors };

  const grant = await issueGrant(work, {
    redPacketId: packet.id,
    customer: checked.recipient,
    idempotencyKey: input.idempotencyKey.trim(),
    source,
  });
  return { grant: RedPacketGrant.fromRow(grant, ctx.locale), userErrors: [] };
}

/**
 * Drive a grant whose payout is in flight now, without waiting for its next scheduled attempt, with
 * the same request number. Operators use it after topping up the merchant balance for NOTENOUGH.
 */
export async function retryRedPacketGrant(ctx: RequestContext, globalId: string): Promise<RedPacketGrantPayload> {
  const work = workContextOf(ctx);
  const grant = await getGrantRowOrThrow(ctx, globalId);
  if (grant.status !== "RESERVED") {
    return {
      grant: RedPacketGrant.fromRow(grant, ctx.locale),
      userErrors: [userError(ctx, "GRANT_NOT_RETRYABLE", "redPacket.grantNotRetryable", { id: globalId, status: grant.status }, ["id"])],
    };
  }
  const resumed = await resumeGrant(work, grant, { ignoreSchedule: true });
  return { grant: RedPacketGrant.fromRow(resumed, ctx.locale), userErrors: [] };
}

export async function getGrantRowOrThrow(ctx: RequestContext, globalId: string): Promise<RedPacketGrantRow> {
  const row = await findGrantById(tenantScope(ctx), parseGlobalId("RedPacketGrant", globalId));
  if (!row) throw new DomainError("NOT_FOUND", "RED_PACKET_GRANT_NOT_FOUND", "redPacket.grantNotFound", { id: globalId }, { field: "id" });
  return row;
}

export async function getGrant(ctx: RequestContext, globalId: string): Promise<RedPacketGrant | null> {
  const row = await findGrantById(tenantScope(ctx), parseGlobalId("RedPacketGrant", globalId));
  return row ? RedPacketGrant.fromRow(row, ctx.locale) : null;
}

export async function searchGrants(
  ctx: RequestContext,
  filter: RedPacketGrantFilter,
  first: number | null | undefined,
  after: string | null | undefined,
) {
  const scope = tenantScope(ctx);
  const size = pageSize(first);
  const cursor = after ? decodeCursor(after) : undefined;
  const query = {
    redPacketId: filter.redPacketId ? parseGlobalId("RedPacket", filter.redPacketId, "filter.redPacketId") : null,
    jobId: filter.jobId ? parseGlobalId("Job", filter.jobId, "filter.jobId") : null,
    status: filter.status,
    openid: filter.openid,
  };

  const [rows, total] = await Promise.all([listGrants(scope, query, cursor, size + 1), countGrants(scope, query)]);
  return toConnection(
    rows,
    size,
    total,
    cursor !== undefined,
    (row: RedPacketGrantRow) => ({ key: row.createdAt.toISOString(), id: row.id }),
    (row: RedPacketGrantRow) => RedPacketGrant.fromRow(row, ctx.locale),
  );
}

/**
 * List the signed-in customer's merchant transfers that wait for confirmation, with the parameters the
 * page passes to requestMerchantTransfer. Transfers older than WeChat Pay's 24-hour window are left out even before the
 * expiry notification arrives.
 */
export async function myTransfersAwaitingConfirmation(ctx: RequestContext): Promise<RedPacketTransferConfirmation[]> {
  const actor = requireActor(ctx);
  if (!actor.customer) throw new DomainError("FORBIDDEN", "CUSTOMER_ONLY", "auth.customerOnly");
  const scope = tenantScope(ctx);
  const now = ctx.services.now();

  const rows = await findTransfersAwaitingConfirmation(scope, actor.customer, new Date(now.getTime() - TRANSFER_CONFIRM_WINDOW_MS));
  const confirmations: RedPacketTransferConfirmation[] = [];
  for (const row of rows) {
    const account = await findMerchantAccountById(scope, row.merchantAccountId);
    const packet = await findRedPacketById(scope, row.redPacketId);
    if (!account || !packet) continue;
    confirmations.push({
      grantId: toGlobalId("RedPacketGrant", row.id),
      amount: row.amount,
      mchId: account.mchid,
      appId: row.appid,
      package: row.packageInfo!,
      actName: packet.actName,
      expiresAt: new Date(row.issuedAt!.getTime() + TRANSFER_CONFIRM_WINDOW_MS),
    });
  }
  return confirmations;
}
