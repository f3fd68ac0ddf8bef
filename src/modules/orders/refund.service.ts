import type { AppServices } from "../../app/services.js";
import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { parseGlobalId } from "../../graphql/relay/global-id.js";
import { userError, type UserError } from "../../graphql/user-error.js";
import { TenantScope } from "../../db/tenant-scope.js";
import type { Logger } from "../../logging/logger.js";
import { notifyCampaignActivity } from "../../realtime/campaign-activity.js";
import type { RefundRequest } from "../../wechatpay/index.js";
import { findMerchantAccountById } from "../merchants/merchant-account.repository.js";
import type { MerchantAccountRow } from "../merchants/merchant-account.table.js";
import { REFUND_NOTIFICATION_KIND } from "./notification-kinds.js";
import { recordOrderEvent } from "./order-events.js";
import { newRefundNo } from "./order-number.js";
import { canMoveRefund, isPaidStatus, refundCountsAgainstOrder } from "./order-status.js";
import { findOrderById, lockOrderById, updateOrderRow } from "./order.repository.js";
import type { OrderRefundRow, OrderRow, RefundStatus } from "./order.tables.js";
import { Order, OrderRefund } from "./order.type.js";
import { findRefundById, findRefundByRequest, findRefundsByOrderIds, insertRefund, lockRefundById, updateRefundRow } from "./refund.repository.js";
import { isValidRequestId } from "./request-id.js";

/** WeChat Pay's limit on a refund reason, in characters. */
const MAX_REASON_LENGTH = 80;

/** Key of the one automatic refund an order paid after expiry without stock can have. */
const SHORTFALL_REQUEST_ID = "stock-shortfall";
const SHORTFALL_REASON = "商品已售罄，全额退款";

export interface RefundOrderInputValues {
  orderId: string;
  amount: number;
  reason?: string | null;
  requestId: string;
}

export interface RefundResult {
  refund: OrderRefund | null;
  order: Order | null;
  userErrors: UserError[];
}

/** Refund state as WeChat Pay reported it, in a response, a query or a notification. */
export interface RefundReport {
  status: Exclude<RefundStatus, "SUBMITTING">;
  refundId?: string;
  payerRefund?: number;
  succeededAt?: Date;
  failureCode?: string;
  failureMessage?: string;
}

type RecordOutcome =
  | { kind: "CREATED" | "EXISTING"; refund: OrderRefundRow }
  | { kind: "REQUEST_ID_REUSED"; refund: OrderRefundRow }
  | { kind: "NOT_PAID"; order: OrderRow }
  | { kind: "EXCEEDS_PAID"; order: OrderRow; refundable: number };

/**
 * Refund part or all of a paid order. The refund row, with its out_refund_no, is stored under the
 * order's row lock before WeChat Pay is called, so concurrent refunds never add up to more than the
 * order's amount.total. Repeating a requestId returns that refund instead of a new one.
 */
export async function refundOrder(ctx: RequestContext, input: RefundOrderInputValues): Promise<RefundResult> {
  const userErrors = validateRefundInput(ctx, input);
  if (userErrors.length > 0) return { refund: null, order: null, userErrors };

  const scope = tenantScope(ctx);
  const order = await findOrderById(scope, parseGlobalId("Order", input.orderId, "orderId"));
  if (!order) throw new DomainError("NOT_FOUND", "ORDER_NOT_FOUND", "order.notFound", { id: input.orderId });

  const recorded = await recordRefund(scope, order.id, { amount: input.amount, reason: input.reason?.trim() || null, requestId: input.requestId, automatic: false }, ctx.services.now());
  switch (recorded.kind) {
    case "NOT_PAID":
      return failed(userError(ctx, "ORDER_NOT_PAID", "refund.notPaid", { orderNo: recorded.order.orderNo, status: recorded.order.status }, ["orderId"]));
    case "EXCEEDS_PAID":
      return failed(userError(ctx, "REFUND_EXCEEDS_PAID", "refund.exceedsPaid", { amount: input.amount, orderNo: recorded.order.orderNo, refundable: recorded.refundable }, ["amount"]));
    case "REQUEST_ID_REUSED":
      return failed(userError(ctx, "REQUEST_ID_REUSED", "refund.requestIdReused", { requestId: input.requestId, amount: recorded.refund.amount }, ["requestId"]));
    case "CREATED":
    case "EXISTING":
      break;
    default: {
      const unreachable: never = recorded;
      throw new Error(`unhandled refund record ${JSON.stringify(unreachable)}`);
    }
  }

  let refund = recorded.refund;
  if (refund.status === "SUBMITTING") {
    const account = (await findMerchantAccountById(scope, order.merchantAccountId))!;
    await submitRefund(ctx.services, account, order, refund, ctx.logger);
    refund = (await findRefundById(scope, refund.id))!;
  }

  const current = (await findOrderById(scope, order.id))!;
  const errors =
    refund.status === "REJECTED"
      ? [userError(ctx, "REFUND_REJECTED", "refund.rejected", { code: refund.failureCode, message: refund.failureMessage }, ["amount"])]
      : [];
  return { refund: OrderRefund.fromRow(refund), order: Order.fromRow(current), userErrors: errors };
}

function failed(error: UserError): RefundResult {
  return { refund: null, order: null, userErrors: [error] };
}

function validateRefundInput(ctx: RequestContext, input: RefundOrderInputValues): UserError[] {
  const errors: UserError[] = [];
  if (!Number.isSafeInteger(input.amount) || input.amount < 1) {
    errors.push(userError(ctx, "INVALID_AMOUNT", "refund.invalidAmount", { field: "amount" }, ["amount"]));
  }
  if (!isValidRequestId(input.requestId)) {
    errors.push(userError(ctx, "INVALID_REQUEST_ID", "order.invalidRequestId", { field: "requestId", value: input.requestId }, ["requestId"]));
  }
  const reason = input.reason?.trim() ?? "";
  if ([...reason].length > MAX_REASON_LENGTH) {
    errors.push(userError(ctx, "TOO_LONG", "validation.tooLong", { field: "reason", max: MAX_REASON_LENGTH, length: [...reason].length }, ["reason"]));
  }
  return errors;
}

/** Store a refund after checking it against what the order has left to refund, under the order's row lock. */
async function recordRefund(
  scope: TenantScope,
  orderId: string,
  request: { amount: number; reason: string | null; requestId: string; automatic: boolean },
  now: Date,
): Promise<RecordOutcome> {
  return scope.transaction(async (tx) => {
    const order = (await lockOrderById(tx, orderId))!;

    const existing = await findRefundByRequest(tx, order.id, request.requestId);
    if (existing) return { kind: existing.amount === request.amount ? "EXISTING" : "REQUEST_ID_REUSED", refund: existing };
    if (!isPaidStatus(order.status) || order.transactionId === null) return { kind: "NOT_PAID", order };

    const refunds = await findRefundsByOrderIds(tx, [order.id]);
    const committed = refunds.filter((refund) => refundCountsAgainstOrder(refund.status)).reduce((sum, refund) => sum + refund.amount, 0);
    if (committed + request.amount > order.totalAmount) return { kind: "EXCEEDS_PAID", order, refundable: order.totalAmount - committed };

    const refund = await insertRefund(tx, { orderId: order.id, refundNo: newRefundNo(now), ...request });
    return { kind: "CREATED", refund };
  });
}

/**
 * Send a stored refund to WeChat Pay and apply the response. The body is rebuilt from the stored rows,
 * so a resubmission after an unknown outcome repeats it exactly, as WeChat Pay requires for the same
 * out_refund_no. An unknown outcome leaves the refund SUBMITTING for the order sweeper.
 */
export async function submitRefund(services: AppServices, account: MerchantAccountRow, order: OrderRow, refund: OrderRefundRow, logger: Logger): Promise<void> {
  const result = await services.wechatPay.clientFor(account).createRefund(refundRequestOf(services, order, refund));

  if (result.ok) {
    await applyRefundReport(services, order.tenantId, refund.id, {
      status: result.value.status,
      refundId: result.value.refund_id,
      ...(result.value.amount.payer_refund !== undefined ? { payerRefund: result.value.amount.payer_refund } : {}),
      ...(result.value.success_time ? { succeededAt: new Date(result.value.success_time) } : {}),
    });
    return;
  }

  if (result.outcome === "definitive") {
    logger.warn({ module: "orders", refundId: refund.id, code: result.code }, "WeChat Pay rejected the refund");
    await applyRefundReport(services, order.tenantId, refund.id, { status: "REJECTED", failureCode: result.code, failureMessage: result.message });
    return;
  }
  logger.warn({ module: "orders", refundId: refund.id, code: result.code, outcome: result.outcome }, "refund outcome unknown; it is resubmitted with the same out_refund_no");
}

function refundRequestOf(services: AppServices, order: OrderRow, refund: OrderRefundRow): RefundRequest {
  return {
    out_trade_no: order.orderNo,
    out_refund_no: refund.refundNo,
    ...(refund.reason ? { reason: refund.reason } : {}),
    notify_url: `${services.publicBaseUrl()}/wechatpay/notify/${REFUND_NOTIFICATION_KIND}/${order.merchantAccountId}`,
    amount: { refund: refund.amount, total: order.totalAmount, currency: "CNY" },
  };
}

/**
 * Apply what WeChat Pay reported about a refund: move it to the reported status if that is a valid
 * step, and on SUCCESS add it to the order's refunded amount and record ORDER_REFUNDED, all under the
 * order's row lock. Stale or repeated reports change nothing. Returns whether anything changed.
 */
export async function applyRefundReport(services: AppServices, tenantId: string, refundRowId: string, report: RefundReport): Promise<boolean> {
  const scope = new TenantScope(tenantId, services.db);
  const unlocked = await findRefundById(scope, refundRowId);
  if (!unlocked) return false;

  const changed = await scope.transaction(async (tx) => {
    const order = (await lockOrderById(tx, unlocked.orderId))!;
    const refund = (await lockRefundById(tx, refundRowId))!;
    if (!canMoveRefund(refund.status, report.status)) return undefined;

    const succeededAt = report.status === "SUCCESS" ? (report.succeededAt ?? services.now()) : null;
    await updateRefundRow(tx, refund.id, {
      status: report.status,
      refundId: report.refundId ?? refund.refundId,
      payerRefund: report.payerRefund ?? refund.payerRefund,
      failureCode: report.failureCode ?? null,
      failureMessage: report.failureMessage ?? null,
      succeededAt,
    });
    if (report.status !== "SUCCESS") return order;

    const refundedAmount = order.refundedAmount + refund.amount;
    const updated = await updateOrderRow(tx, order.id, {
      refundedAmount,
      status: refundedAmount >= order.totalAmount ? "REFUNDED" : "PARTIALLY_REFUNDED",
    });
    await recordOrderEvent(tx, updated, {
      type: "ORDER_REFUNDED",
      objectId: refund.id,
      occurredAt: succeededAt!,
      amount: refund.amount,
      attributes: { refundNo: refund.refundNo, payerRefund: report.payerRefund ?? null, automatic: refund.automatic },
    });
    return updated;
  });

  if (changed) {
    services.logger.info({ module: "orders", tenantId, refundId: refundRowId, status: report.status }, "refund updated");
    if (report.status === "SUCCESS" && changed.campaignId) notifyCampaignActivity(services, tenantId, changed.campaignId);
  }
  return changed !== undefined;
}

/**
 * Refund in full an order that was paid after it expired when its stock was gone. At most one such
 * refund exists per order, because its request id is fixed.
 */
export async function startAutomaticRefund(services: AppServices, account: MerchantAccountRow, order: OrderRow): Promise<void> {
  const scope = new TenantScope(order.tenantId, services.db);
  const recorded = await recordRefund(
    scope,
    order.id,
    { amount: order.totalAmount, reason: SHORTFALL_REASON, requestId: SHORTFALL_REQUEST_ID, automatic: true },
    services.now(),
  );
  if (recorded.kind !== "CREATED" && recorded.kind !== "EXISTING") {
    services.logger.error({ module: "orders", orderId: order.id, outcome: recorded.kind }, "automatic refund could not be recorded");
    return;
  }
  if (recorded.refund.status === "SUBMITTING") await submitRefund(services, account, order, recorded.refund, services.logger);
}

/** Send a refund stuck in SUBMITTING again, with the same out_refund_no and body. */
export async function resubmitRefund(services: AppServices, tenantId: string, refundRowId: string): Promise<void> {
  const scope = new TenantScope(tenantId, services.db);
  const refund = await findRefundById(scope, refundRowId);
  if (refund?.status !== "SUBMITTING") return;
  const order = (await findOrderById(scope, refund.orderId))!;
  const account = (await findMerchantAccountById(scope, order.merchantAccountId))!;
  await submitRefund(services, account, order, refund, services.logger);
}

/** Ask WeChat Pay about a refund that stayed PROCESSING, in case its notification was lost. */
export async function refreshRefund(services: AppServices, tenantId: string, refundRowId: string): Promise<void> {
  const scope = new TenantScope(tenantId, services.db);
  const refund = await findRefundById(scope, refundRowId);
  if (refund?.status !== "PROCESSING") return;
  const order = (await findOrderById(scope, refund.orderId))!;
  const account = (await findMerchantAccountById(scope, order.merchantAccountId))!;

  const result = await services.wechatPay.clientFor(account).queryRefund(refund.refundNo);
  if (!result.ok) {
    services.logger.warn({ module: "orders", refundId: refund.id, code: result.code }, "refund query failed; asking again later");
    return;
  }
  if (result.value.status === "PROCESSING") return;
  await applyRefundReport(services, tenantId, refund.id, {
    status: result.value.status,
    refundId: result.value.refund_id,
    ...(result.value.amount.payer_refund !== undefined ? { payerRefund: result.value.amount.payer_refund } : {}),
    ...(result.value.success_time ? { succeededAt: new Date(result.value.success_time) } : {}),
  });
}
