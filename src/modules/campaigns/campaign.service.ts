import type { RequestContext } from "../../graphql/context.js";
import { tenantScope } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { parseGlobalId } from "../../graphql/relay/global-id.js";
import { decodeCursor, pageSize, toConnection } from "../../graphql/relay/pagination.js";
import { userError, type UserError } from "../../graphql/user-error.js";
import {
  countCampaigns,
  findCampaignById,
  findCampaignByExternalId,
  insertCampaign,
  listCampaigns,
  updateCampaignRow,
  type CampaignQuery,
} from "./campaign.repository.js";
import type { CampaignRow } from "./campaign.table.js";
import { Campaign } from "./campaign.type.js";
import type { CreateCampaignInput, UpdateCampaignInput } from "./campaign.inputs.js";

const MAX_NAME_LENGTH = 100;

export interface CampaignResult {
  campaign: Campaign | null;
  userErrors: UserError[];
}

export async function getCampaign(ctx: RequestContext, globalId: string): Promise<Campaign | null> {
  const row = await findCampaignById(tenantScope(ctx), parseGlobalId("Campaign", globalId));
  return row ? Campaign.fromRow(row) : null;
}

export async function getCampaignByExternalId(ctx: RequestContext, externalId: string): Promise<Campaign | null> {
  const row = await findCampaignByExternalId(tenantScope(ctx), externalId);
  return row ? Campaign.fromRow(row) : null;
}

/** Load the campaign row of a global id in the caller's tenant; throws NOT_FOUND for any other tenant's id. */
export async function getCampaignRowOrThrow(ctx: RequestContext, globalId: string, field = "campaignId") {
  const row = await findCampaignById(tenantScope(ctx), parseGlobalId("Campaign", globalId, field));
  if (!row) throw new DomainError("NOT_FOUND", "CAMPAIGN_NOT_FOUND", "campaign.notFound", { id: globalId });
  return row;
}

export async function searchCampaigns(
  ctx: RequestContext,
  query: CampaignQuery,
  first: number | null | undefined,
  after: string | null | undefined,
) {
  const scope = tenantScope(ctx);
  const size = pageSize(first);
  const cursor = after ? decodeCursor(after) : undefined;

  const [rows, total] = await Promise.all([
    listCampaigns(scope, query, cursor, size + 1),
    countCampaigns(scope, query),
  ]);

  return toConnection(
    rows,
    size,
    total,
    cursor !== undefined,
    (row: CampaignRow) => ({ key: row.createdAt.toISOString(), id: row.id }),
    Campaign.fromRow,
  );
}

export async function createCampaign(ctx: RequestContext, input: CreateCampaignInput): Promise<CampaignResult> {
  const userErrors = validateCampaignFields(ctx, input);
  if (userErrors.length > 0) return { campaign: null, userErrors };

  const scope = tenantScope(ctx);
  try {
    const row = await insertCampaign(scope, {
      name: input.name.trim(),
      status: input.status ?? "DRAFT",
      startsAt: input.startsAt ?? null,
      endsAt: input.endsAt ?? null,
      externalId: input.externalId ?? null,
    });
    ctx.logger.info({ module: "campaigns", campaignId: row.id }, "campaign created");
    return { campaign: Campaign.fromRow(row), userErrors: [] };
  } catch (error) {
    if (isUniqueViolation(error)) {
      return {
        campaign: null,
        userErrors: [
          userError(ctx, "EXTERNAL_ID_TAKEN", "campaign.externalIdTaken", { value: input.externalId }, [
            "externalId",
          ]),
        ],
      };
    }
    throw error;
  }
}

export async function updateCampaign(ctx: RequestContext, input: UpdateCampaignInput): Promise<CampaignResult> {
  const scope = tenantScope(ctx);
  const id = parseGlobalId("Campaign", input.id);
  const existing = await findCampaignById(scope, id);
  if (!existing) throw new DomainError("NOT_FOUND", "CAMPAIGN_NOT_FOUND", "campaign.notFound", { id: input.id });

  const merged = {
    name: input.name ?? existing.name,
    startsAt: input.startsAt === undefined ? existing.startsAt : input.startsAt,
    endsAt: input.endsAt === undefined ? existing.endsAt : input.endsAt,
  };
  const userErrors = validateCampaignFields(ctx, merged);
  if (userErrors.length > 0) return { campaign: null, userErrors };

  const row = await updateCampaignRow(scope, id, {
    name: merged.name.trim(),
    startsAt: merged.startsAt,
    endsAt: merged.endsAt,
    ...(input.status ? { status: input.status } : {}),
  });
  if (!row) throw new DomainError("NOT_FOUND", "CAMPAIGN_NOT_FOUND", "campaign.notFound", { id: input.id });

  await ctx.services.pubsub.publish("CAMPAIGN_UPDATED", row.id, { tenantId: row.tenantId, campaignId: row.id });
  return { campaign: Campaign.fromRow(row), userErrors: [] };
}

function validateCampaignFields(
  ctx: RequestContext,
  input: { name: string; startsAt?: Date | null; endsAt?: Date | null },
): UserError[] {
  const errors: UserError[] = [];
  const name = input.name.trim();
  if (name === "") errors.push(userError(ctx, "REQUIRED", "validation.required", { field: "name" }, ["name"]));
  if (name.length > MAX_NAME_LENGTH) {
    errors.push(
      userError(ctx, "TOO_LONG", "validation.tooLong", { field: "name", max: MAX_NAME_LENGTH, length: name.length }, [
        "name",
      ]),
    );
  }
  if (input.startsAt && input.endsAt && input.endsAt <= input.startsAt) {
    errors.push(userError(ctx, "INVALID_TIME_RANGE", "validation.timeRange", { field: "endsAt" }, ["endsAt"]));
  }
  return errors;
}

/** True for PostgreSQL's unique_violation, whichever driver raised it. */
export function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  while (current && typeof current === "object") {
    if ((current as { code?: unknown }).code === "23505") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
