import { requireActor, t, tenantScope, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { userError, type UserError } from "../../graphql/user-error.js";
import { getCampaignRowOrThrow } from "../campaigns/campaign.service.js";
import { upsertCustomer } from "../customers/customer.repository.js";
import { findMerchantAccountById } from "../merchants/merchant-account.repository.js";
import { countLiveGrants, findBatchById, findModule, upsertModule } from "./voucher.repository.js";
import { findCustomerByOpenid } from "../customers/customer.repository.js";
import { getBatchRowOrThrow } from "./voucher-batch.service.js";
import { checkBatchRules, issueVoucher, type VoucherIssueOutcome, type VoucherLimitReason } from "./voucher-issuer.js";
import type { VoucherBatchRow } from "./voucher.tables.js";
import { VoucherModuleSettings, type ClaimVoucherPayload, type SaveVoucherModuleInput, type VoucherModuleView } from "./voucher-module.type.js";

const MAX_POPUP_MESSAGE_LENGTH = 200;

/** Save a coupon module's settings from the page editor; saving again replaces them. */
export async function saveVoucherModule(
  ctx: RequestContext,
  input: SaveVoucherModuleInput,
): Promise<{ voucherModule: VoucherModuleSettings | null; userErrors: UserError[] }> {
  const scope = tenantScope(ctx);
  const batch = await getBatchRowOrThrow(scope, input.batchId);
  const campaign = input.campaignId ? await getCampaignRowOrThrow(ctx, input.campaignId) : undefined;

  const userErrors: UserError[] = [];
  for (const [field, value] of [["pageId", input.pageId], ["moduleKey", input.moduleKey]] as const) {
    if (value.trim() === "") userErrors.push(userError(ctx, "REQUIRED", "validation.required", { field }, [field]));
    if (value.length > 100) userErrors.push(userError(ctx, "TOO_LONG", "validation.tooLong", { field, max: 100, length: value.length }, [field]));
  }
  if (input.popupKind === "MESSAGE" && !input.popupMessage?.trim()) {
    userErrors.push(userError(ctx, "POPUP_MISSING", "voucher.popupMissing", { field: "popupMessage", kind: "MESSAGE" }, ["popupMessage"]));
  }
  if (input.popupMessage && input.popupMessage.length > MAX_POPUP_MESSAGE_LENGTH) {
    userErrors.push(
      userError(ctx, "TOO_LONG", "validation.tooLong", { field: "popupMessage", max: MAX_POPUP_MESSAGE_LENGTH, length: input.popupMessage.length }, ["popupMessage"]),
    );
  }
  if (input.popupKind === "PICTURE" && !input.popupPictureUrl?.trim()) {
    userErrors.push(userError(ctx, "POPUP_MISSING", "voucher.popupMissing", { field: "popupPictureUrl", kind: "PICTURE" }, ["popupPictureUrl"]));
  } else if (input.popupPictureUrl?.trim() && !isHttpUrl(input.popupPictureUrl.trim())) {
    userErrors.push(userError(ctx, "INVALID_URL", "voucher.invalidPictureUrl", { value: input.popupPictureUrl }, ["popupPictureUrl"]));
  }
  if (userErrors.length > 0) return { voucherModule: null, userErrors };

  const row = await upsertModule(scope, {
    pageId: input.pageId.trim(),
    moduleKey: input.moduleKey.trim(),
    batchId: batch.id,
    campaignId: campaign?.id ?? batch.campaignId,
    popupKind: input.popupKind,
    popupMessage: input.popupMessage?.trim() || null,
    popupPictureUrl: input.popupPictureUrl?.trim() || null,
  });
  return { voucherModule: VoucherModuleSettings.fromRow(row), userErrors: [] };
}

/** Load what the page runtime shows for a coupon module: the batch summary and whether a claim can succeed now. */
export async function getVoucherModuleView(ctx: RequestContext, pageId: string, moduleKey: string): Promise<VoucherModuleView | null> {
  const scope = tenantScope(ctx);
  const module = await findModule(scope, pageId, moduleKey);
  if (!module) return null;
  const batch = (await findBatchById(scope, module.batchId))!;
  const account = await findMerchantAccountById(scope, batch.merchantAccountId);

  let reason: UnavailableReason | undefined =
    account?.status !== "ENABLED" ? "MERCHANT_DISABLED" : checkBatchRules(batch, ctx.services.now());

  // A customer also learns whether they personally can still claim.
  const identity = ctx.actor?.customer;
  if (!reason && identity && account) {
    if (!appidsOf(account).includes(identity.appid)) reason = "APPID_NOT_BOUND";
    else {
      const customer = await findCustomerByOpenid(scope, identity.appid, identity.openid);
      const limit = batch.maxCouponsPerUser;
      if (customer && limit !== null && (await countLiveGrants(scope, batch.id, customer.id)) >= limit) reason = "PER_USER_LIMIT";
    }
  }

  return {
    settings: VoucherModuleSettings.fromRow(module),
    batchName: batch.name,
    couponAmount: batch.couponAmount,
    transactionMinimum: batch.transactionMinimum,
    availableBeginTime: batch.availableBeginTime,
    availableEndTime: batch.availableEndTime,
    claimable: reason === undefined,
    unavailableReason: reason ?? null,
    unavailableMessage: reason ? reasonMessage(ctx, reason, batch) : null,
  };
}

/**
 * Issue the voucher of a page's coupon module to the customer who tapped it. The page generates
 * `requestId` once per tap, so a retried request returns the first result instead of a second voucher.
 */
export async function claimVoucher(
  ctx: RequestContext,
  input: { pageId: string; moduleKey: string; requestId: string },
): Promise<ClaimVoucherPayload> {
  const actor = requireActor(ctx);
  const identity = actor.customer;
  if (!identity) throw new DomainError("FORBIDDEN", "CUSTOMER_ONLY", "auth.customerOnly");
  validateRequestId(input.requestId);

  const scope = tenantScope(ctx);
  const module = await findModule(scope, input.pageId, input.moduleKey);
  if (!module) {
    throw new DomainError("NOT_FOUND", "VOUCHER_MODULE_NOT_FOUND", "voucher.moduleNotFound", { pageId: input.pageId, moduleKey: input.moduleKey });
  }
  const batch = (await findBatchById(scope, module.batchId))!;
  const account = (await findMerchantAccountById(scope, batch.merchantAccountId))!;
  if (account.status !== "ENABLED") return unavailable(ctx, "MERCHANT_DISABLED", batch);
  // WeChat Pay rejects an openid of an AppID the merchant is not bound to, and no retry helps.
  if (!appidsOf(account).includes(identity.appid)) return unavailable(ctx, "APPID_NOT_BOUND", batch);

  const customer = await upsertCustomer(scope, identity);
  const outcome = await issueVoucher(
    { services: ctx.services, scope, logger: ctx.logger },
    {
      batch,
      account,
      customer,
      source: "PAGE",
      requestKey: `page:${input.requestId}`,
      campaignId: module.campaignId,
      moduleId: module.id,
    },
  );
  return presentOutcome(ctx, outcome, batch, module);
}

function presentOutcome(
  ctx: RequestContext,
  outcome: VoucherIssueOutcome,
  batch: VoucherBatchRow,
  module: { popupKind: "MESSAGE" | "PICTURE"; popupMessage: string | null; popupPictureUrl: string | null },
): ClaimVoucherPayload {
  switch (outcome.status) {
    case "ISSUED":
      return {
        status: "ISSUED",
        couponId: outcome.couponId,
        popupKind: module.popupKind,
        popupMessage: module.popupMessage,
        popupPictureUrl: module.popupPictureUrl,
        reason: null,
        message: null,
      };
    case "LIMIT_REACHED":
      return notIssued(ctx, outcome.reason, batch);
    case "FAILED":
      return { ...emptyPayload("FAILED"), reason: outcome.code, message: t(ctx, "voucher.reason.FAILED", { code: outcome.code }) };
    case "PENDING":
      return { ...emptyPayload("PENDING"), reason: "PENDING", message: t(ctx, "voucher.reason.PENDING") };
  }
}

/** Reasons a claim cannot succeed that are not a rule of the batch. */
type UnavailableReason = VoucherLimitReason | "MERCHANT_DISABLED" | "APPID_NOT_BOUND";

function notIssued(ctx: RequestContext, reason: VoucherLimitReason, batch: VoucherBatchRow): ClaimVoucherPayload {
  return { ...emptyPayload("LIMIT_REACHED"), reason, message: reasonMessage(ctx, reason, batch) };
}

function unavailable(ctx: RequestContext, reason: UnavailableReason, batch: VoucherBatchRow): ClaimVoucherPayload {
  return { ...emptyPayload("UNAVAILABLE"), reason, message: reasonMessage(ctx, reason, batch) };
}

function appidsOf(account: { officialAccountAppid: string; miniProgramAppid: string | null }): string[] {
  return [account.officialAccountAppid, ...(account.miniProgramAppid ? [account.miniProgramAppid] : [])];
}

function emptyPayload(status: string): ClaimVoucherPayload {
  return { status, couponId: null, popupKind: null, popupMessage: null, popupPictureUrl: null, reason: null, message: null };
}

function reasonMessage(ctx: RequestContext, reason: UnavailableReason, batch: VoucherBatchRow): string {
  return t(ctx, `voucher.reason.${reason}`, { startTime: batch.startTime?.toISOString() ?? "" });
}

function validateRequestId(requestId: string): void {
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(requestId)) {
    throw new DomainError("BAD_USER_INPUT", "INVALID_REQUEST_ID", "voucher.invalidRequestId", { value: requestId }, { field: "requestId" });
  }
}

function isHttpUrl(value: string | null | undefined): boolean {
  if (!value) return false;
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

