import { tenantScope, t, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { decodeGlobalId, parseGlobalId, toGlobalId } from "../../graphql/relay/global-id.js";
import { decodeCursor, pageSize, toConnection } from "../../graphql/relay/pagination.js";
import { userError, type UserError } from "../../graphql/user-error.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import { findCampaignById } from "../campaigns/campaign.repository.js";
import { findMerchantAccountById } from "../merchants/merchant-account.repository.js";
import type { MerchantAccountRow } from "../merchants/merchant-account.table.js";
import type { CreateRedPacketInput, RedPacketFilter, UpdateRedPacketInput } from "./red-packet.inputs.js";
import {
  countRedPackets,
  findDailyCounters,
  findRedPacketById,
  insertRedPacket,
  listRedPackets,
  lockRedPacket,
  updateRedPacketRow,
} from "./red-packet.repository.js";
import type { RedPacketRow } from "./red-packet.tables.js";
import { RedPacket, limitsOf, usageOf } from "./red-packet.type.js";
import { parseAmount, validateRedPacketSettings, type RedPacketSettings, type SettingsProblem } from "./settings-validation.js";
import { tenantDay } from "./tenant-day.js";

export interface RedPacketResult {
  redPacket: RedPacket | null;
  userErrors: UserError[];
}

const MODULE = "red-packets";

export async function getRedPacketRowOrThrow(scope: TenantScope, globalId: string, field = "redPacketId"): Promise<RedPacketRow> {
  const row = await findRedPacketById(scope, parseGlobalId("RedPacket", globalId, field));
  if (!row) throw new DomainError("NOT_FOUND", "RED_PACKET_NOT_FOUND", "redPacket.notFound", { id: globalId }, { field });
  return row;
}

/** Nodes for rows, each with its counters of the tenant's current local day. */
export async function toRedPacketNodes(ctx: RequestContext, scope: TenantScope, rows: RedPacketRow[]): Promise<RedPacket[]> {
  const today = await tenantDay(scope, ctx.services.config.defaultTimeZone, ctx.services.now());
  const daily = await findDailyCounters(scope, rows.map((row) => row.id), today);
  return rows.map((row) => RedPacket.fromRow(row, today, daily.get(row.id)));
}

export async function getRedPacket(ctx: RequestContext, globalId: string): Promise<RedPacket | null> {
  const scope = tenantScope(ctx);
  const row = await findRedPacketById(scope, parseGlobalId("RedPacket", globalId));
  if (!row) return null;
  const [node] = await toRedPacketNodes(ctx, scope, [row]);
  return node!;
}

export async function searchRedPackets(
  ctx: RequestContext,
  filter: RedPacketFilter,
  first: number | null | undefined,
  after: string | null | undefined,
) {
  const scope = tenantScope(ctx);
  const size = pageSize(first);
  const cursor = after ? decodeCursor(after) : undefined;
  const query = {
    search: filter.search,
    status: filter.status,
    campaignId: filter.campaignId ? parseGlobalId("Campaign", filter.campaignId, "filter.campaignId") : null,
    merchantAccountId: filter.merchantAccountId
      ? parseGlobalId("MerchantAccount", filter.merchantAccountId, "filter.merchantAccountId")
      : null,
  };

  const [rows, total] = await Promise.all([listRedPackets(scope, query, cursor, size + 1), countRedPackets(scope, query)]);
  const nodes = new Map((await toRedPacketNodes(ctx, scope, rows)).map((node) => [node.rowId, node]));

  return toConnection(
    rows,
    size,
    total,
    cursor !== undefined,
    (row: RedPacketRow) => ({ key: row.createdAt.toISOString(), id: row.id }),
    (row: RedPacketRow) => nodes.get(row.id)!,
  );
}

export async function createRedPacket(ctx: RequestContext, input: CreateRedPacketInput): Promise<RedPacketResult> {
  const scope = tenantScope(ctx);
  const amount = parseAmount(input.amount);
  const campaignId = await findCampaignRowId(scope, input.campaignId, "campaignId");
  const account = await findAccount(scope, input.merchantAccountId, "merchantAccountId");

  const problems: SettingsProblem[] = [...amount.problems, ...campaignId.problems, ...account.problems];
  const settings: RedPacketSettings = {
    name: input.name.trim(),
    actName: input.actName.trim(),
    sendName: input.sendName.trim(),
    wishing: input.wishing.trim(),
    remark: emptyToNull(input.remark),
    sceneId: input.sceneId ?? null,
    amountMode: input.amount.mode,
    minAmount: amount.minAmount,
    maxAmount: amount.maxAmount,
    limits: {
      totalCount: input.limits?.totalCount ?? null,
      totalAmount: input.limits?.totalAmount ?? null,
      dailyCount: input.limits?.dailyCount ?? null,
      dailyAmount: input.limits?.dailyAmount ?? null,
    },
    warningThresholdPercent: input.warningThresholdPercent ?? null,
    failureNotice: {
      enabled: input.failureNotice?.enabled ?? false,
      channel: input.failureNotice?.channel ?? null,
      text: emptyToNull(input.failureNotice?.text),
    },
  };
  problems.push(...validateRedPacketSettings(settings, account.row, amount.problems.length === 0));
  if (problems.length > 0) return { redPacket: null, userErrors: toUserErrors(ctx, problems) };

  const row = await insertRedPacket(scope, {
    ...settingsColumns(settings),
    campaignId: campaignId.rowId!,
    merchantAccountId: account.row!.id,
  });
  ctx.logger.info({ module: MODULE, redPacketId: row.id, campaignId: row.campaignId }, "red packet created");
  const [node] = await toRedPacketNodes(ctx, scope, [row]);
  return { redPacket: node!, userErrors: [] };
}

/**
 * Apply the given changes under the red packet's row lock, so no reservation runs between the checks
 * and the write. Frozen fields stay as they are once sending has started, and no limit drops below
 * what is already issued or in flight.
 */
export async function updateRedPacket(ctx: RequestContext, input: UpdateRedPacketInput): Promise<RedPacketResult> {
  const id = parseGlobalId("RedPacket", input.id);
  const now = ctx.services.now();
  const today = await tenantDay(tenantScope(ctx), ctx.services.config.defaultTimeZone, now);

  const outcome = await tenantScope(ctx).transaction(async (scope) => {
    const existing = await lockRedPacket(scope, id);
    if (!existing) throw new DomainError("NOT_FOUND", "RED_PACKET_NOT_FOUND", "redPacket.notFound", { id: input.id }, { field: "id" });
    if (existing.status === "DELETED") {
      return { problems: [deletedProblem(existing)] };
    }

    const problems: SettingsProblem[] = [];
    const frozen = frozenFieldProblems(input, existing);
    problems.push(...frozen);

    const amount = input.amount ? parseAmount(input.amount) : { minAmount: existing.minAmount, maxAmount: existing.maxAmount, problems: [] };
    problems.push(...amount.problems);

    const campaign = input.campaignId ? await findCampaignRowId(scope, input.campaignId, "campaignId") : { rowId: existing.campaignId, problems: [] };
    problems.push(...campaign.problems);
    const account = await findAccount(scope, input.merchantAccountId ?? toGlobalId("MerchantAccount", existing.merchantAccountId), "merchantAccountId");
    problems.push(...account.problems);

    const settings = mergeSettings(existing, input, amount);
    problems.push(...validateRedPacketSettings(settings, account.row, amount.problems.length === 0));

    const daily = (await findDailyCounters(scope, [existing.id], today)).get(existing.id);
    problems.push(...limitFloorProblems(settings, existing, daily));
    if (problems.length > 0) return { problems };

    const row = await updateRedPacketRow(scope, existing.id, {
      ...settingsColumns(settings),
      campaignId: campaign.rowId!,
      merchantAccountId: account.row!.id,
    });
    return { row: row!, problems };
  });

  if (!outcome.row) return { redPacket: null, userErrors: toUserErrors(ctx, outcome.problems) };
  ctx.logger.info({ module: MODULE, redPacketId: outcome.row.id }, "red packet updated");
  const [node] = await toRedPacketNodes(ctx, tenantScope(ctx), [outcome.row]);
  return { redPacket: node!, userErrors: [] };
}

/**
 * Soft-delete: the red packet takes no new grants from now on; grants already in flight finish, and
 * every grant stays on record. Deleting twice is harmless.
 */
export async function deleteRedPacket(ctx: RequestContext, globalId: string): Promise<RedPacketResult> {
  const scope = tenantScope(ctx);
  const existing = await getRedPacketRowOrThrow(scope, globalId, "id");
  if (existing.status === "DELETED") {
    const [node] = await toRedPacketNodes(ctx, scope, [existing]);
    return { redPacket: node!, userErrors: [] };
  }

  const row = await updateRedPacketRow(scope, existing.id, { status: "DELETED", deletedAt: ctx.services.now() });
  ctx.logger.info({ module: MODULE, redPacketId: existing.id, inFlight: existing.reservedCount }, "red packet deleted");
  const [node] = await toRedPacketNodes(ctx, scope, [row!]);
  return { redPacket: node!, userErrors: [] };
}

function toUserErrors(ctx: RequestContext, problems: SettingsProblem[]): UserError[] {
  return problems.map((problem) => {
    const rendered = Object.fromEntries(Object.entries(problem.messageParams ?? {}).map(([name, key]) => [name, t(ctx, key)]));
    return userError(ctx, problem.code, problem.key, { ...problem.params, ...rendered }, problem.field);
  });
}

function emptyToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function deletedProblem(row: RedPacketRow): SettingsProblem {
  return { field: ["id"], code: "RED_PACKET_DELETED", key: "redPacket.deleted", params: { name: row.name } };
}

async function findCampaignRowId(scope: TenantScope, globalId: string, field: string): Promise<{ rowId?: string; problems: SettingsProblem[] }> {
  const decoded = decodeGlobalId(globalId);
  const row = decoded?.typeName === "Campaign" ? await findCampaignById(scope, decoded.id) : undefined;
  if (row) return { rowId: row.id, problems: [] };
  return { problems: [{ field: [field], code: "CAMPAIGN_NOT_FOUND", key: "redPacket.campaignNotFound", params: { field, id: globalId } }] };
}

async function findAccount(scope: TenantScope, globalId: string, field: string): Promise<{ row?: MerchantAccountRow; problems: SettingsProblem[] }> {
  const decoded = decodeGlobalId(globalId);
  const row = decoded?.typeName === "MerchantAccount" ? await findMerchantAccountById(scope, decoded.id) : undefined;
  if (row) return { row, problems: [] };
  return {
    problems: [{ field: [field], code: "MERCHANT_ACCOUNT_NOT_FOUND", key: "redPacket.merchantNotFound", params: { field, id: globalId } }],
  };
}

function settingsColumns(settings: RedPacketSettings) {
  return {
    name: settings.name,
    actName: settings.actName,
    sendName: settings.sendName,
    wishing: settings.wishing,
    remark: settings.remark,
    sceneId: settings.sceneId,
    amountMode: settings.amountMode,
    minAmount: settings.minAmount,
    maxAmount: settings.maxAmount,
    totalCountLimit: settings.limits.totalCount,
    totalAmountLimit: settings.limits.totalAmount,
    dailyCountLimit: settings.limits.dailyCount,
    dailyAmountLimit: settings.limits.dailyAmount,
    warningThresholdPercent: settings.warningThresholdPercent,
    failureNoticeEnabled: settings.failureNotice.enabled,
    failureNoticeChannel: settings.failureNotice.channel,
    failureNoticeText: settings.failureNotice.text,
  };
}

/** Existing settings with the input's changes: undefined keeps a value, null clears an optional one. */
function mergeSettings(
  existing: RedPacketRow,
  input: UpdateRedPacketInput,
  amount: { minAmount: number; maxAmount: number },
): RedPacketSettings {
  const text = (value: string | null | undefined, current: string) => (value === undefined || value === null ? current : value.trim());
  const optional = <T>(value: T | null | undefined, current: T | null): T | null => (value === undefined ? current : value);
  const limits = input.limits;
  const notice = input.failureNotice;

  return {
    name: text(input.name, existing.name),
    actName: text(input.actName, existing.actName),
    sendName: text(input.sendName, existing.sendName),
    wishing: text(input.wishing, existing.wishing),
    remark: input.remark === undefined ? existing.remark : emptyToNull(input.remark),
    sceneId: optional(input.sceneId, existing.sceneId),
    amountMode: input.amount?.mode ?? existing.amountMode,
    minAmount: amount.minAmount,
    maxAmount: amount.maxAmount,
    limits: {
      totalCount: limits ? optional(limits.totalCount, existing.totalCountLimit) : existing.totalCountLimit,
      totalAmount: limits ? optional(limits.totalAmount, existing.totalAmountLimit) : existing.totalAmountLimit,
      dailyCount: limits ? optional(limits.dailyCount, existing.dailyCountLimit) : existing.dailyCountLimit,
      dailyAmount: limits ? optional(limits.dailyAmount, existing.dailyAmountLimit) : existing.dailyAmountLimit,
    },
    warningThresholdPercent: optional(input.warningThresholdPercent, existing.warningThresholdPercent),
    failureNotice: notice
      ? { enabled: notice.enabled, channel: notice.channel ?? null, text: emptyToNull(notice.text) }
      : { enabled: existing.failureNoticeEnabled, channel: existing.failureNoticeChannel, text: existing.failureNoticeText },
  };
}

/** Amount, merchant account and campaign may not change once a grant has reserved quota. */
function frozenFieldProblems(input: UpdateRedPacketInput, existing: RedPacketRow): SettingsProblem[] {
  if (!existing.sendingStartedAt) return [];
  const date = existing.sendingStartedAt.toISOString();
  const problems: SettingsProblem[] = [];
  const frozen = (field: string) =>
    problems.push({ field: [field], code: "FROZEN_AFTER_SENDING_STARTED", key: "redPacket.frozenAfterSending", params: { field, date } });

  if (input.amount) {
    const amount = parseAmount(input.amount);
    const changed =
      input.amount.mode !== existing.amountMode || amount.minAmount !== existing.minAmount || amount.maxAmount !== existing.maxAmount;
    if (changed) frozen("amount");
  }
  if (input.merchantAccountId && parseGlobalId("MerchantAccount", input.merchantAccountId, "merchantAccountId") !== existing.merchantAccountId) {
    frozen("merchantAccountId");
  }
  if (input.campaignId && parseGlobalId("Campaign", input.campaignId, "campaignId") !== existing.campaignId) {
    frozen("campaignId");
  }
  return problems;
}

/** Report limits lowered below what is issued or in flight (today's usage for daily limits). */
function limitFloorProblems(
  settings: RedPacketSettings,
  existing: RedPacketRow,
  daily: Parameters<typeof usageOf>[1],
): SettingsProblem[] {
  const usage = usageOf(existing, daily);
  const current = limitsOf(existing);
  const problems: SettingsProblem[] = [];
  const checks: [keyof typeof usage, number, boolean][] = [
    ["totalCount", usage.totalCount, false],
    ["totalAmount", usage.totalAmount, false],
    ["dailyCount", usage.dailyCount, true],
    ["dailyAmount", usage.dailyAmount, true],
  ];

  for (const [name, used, daily] of checks) {
    const value = settings.limits[name];
    if (value === null || value === current[name] || value >= used) continue;
    problems.push({
      field: ["limits", name],
      code: "LIMIT_BELOW_USED",
      key: "redPacket.limitBelowUsed",
      params: { field: `limits.${name}`, value, used, period: "" },
      ...(daily ? { messageParams: { period: "redPacket.today" as const } } : {}),
    });
  }
  return problems;
}
