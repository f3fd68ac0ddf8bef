import { formatRfc3339 } from "./clock.js";
import type { SimulatorContext } from "./context.js";
import { V3ApiError } from "./errors.js";
import { newRefundId } from "./ids.js";
import { canonicalJson, keyOf, type OrderRecord, type RefundRecord } from "./store.js";
import type { V3Request, V3Result } from "./v3-types.js";
import {
  optionalString,
  requireBody,
  requireInteger,
  requireNotifyUrl,
  requireObject,
  requireString,
  type JsonObject,
} from "./validation.js";

/** POST /v3/refund/domestic/refunds */
export function createRefund(context: SimulatorContext, request: V3Request): V3Result {
  const body = requireBody(request);
  const mchid = request.merchant.mchid;

  const transactionId = optionalString(body, "transaction_id", { maxLength: 32 });
  const outTradeNo = optionalString(body, "out_trade_no", { maxLength: 32 });
  const outRefundNo = requireString(body, "out_refund_no", {
    pattern: /^[0-9A-Za-z_\-|*@]{1,64}$/,
    describe: "须为1-64位数字、大小写字母或_-|*@",
  });
  const reason = optionalString(body, "reason", { maxLength: 80 });
  const notifyUrl = requireNotifyUrl(body, "notify_url", false);
  const amount = requireObject(body, "amount");
  const refund = requireInteger(amount, "refund", "amount.refund", { min: 1 });
  const total = requireInteger(amount, "total", "amount.total", { min: 1 });
  const currency = requireString(amount, "currency");
  if (currency !== "CNY") throw new V3ApiError("PARAM_ERROR", "amount.currency仅支持CNY", { field: "amount.currency", value: currency, location: "body" });
  if (transactionId === undefined && outTradeNo === undefined) {
    throw new V3ApiError("PARAM_ERROR", "transaction_id和out_trade_no必须二选一", { field: "out_trade_no", location: "body" });
  }

  const fingerprint = canonicalJson(body);
  const existing = context.store.refunds.get(keyOf(mchid, outRefundNo));
  if (existing !== undefined) {
    // A retry with the same out_refund_no and parameters returns the refund already accepted.
    if (existing.requestFingerprint !== fingerprint) throw new V3ApiError("INVALID_REQUEST", "退款单号已存在，但请求参数与原退款不一致");
    return { status: 200, body: refundResource(existing) };
  }

  const order = findPaidOrder(context, mchid, { transactionId, outTradeNo });
  if (total !== order.total) throw new V3ApiError("INVALID_REQUEST", "订单金额与原订单金额不一致");
  if (refund > order.total - order.refunded) throw new V3ApiError("INVALID_REQUEST", "申请退款金额超过订单可退金额");

  const now = context.clock.now();
  const payerTotal = order.payer_total ?? order.total;
  const payerRefund = splitPayerRefund(order, refund);
  const record: RefundRecord = {
    mchid,
    out_refund_no: outRefundNo,
    refund_id: newRefundId(now),
    out_trade_no: order.out_trade_no,
    transaction_id: order.transaction_id!,
    reason,
    notify_url: notifyUrl,
    refund,
    total: order.total,
    payer_refund: payerRefund,
    discount_refund: refund - payerRefund,
    payer_total: payerTotal,
    status: "PROCESSING",
    requestFingerprint: fingerprint,
    createdAtMs: now,
  };
  order.refunded += refund;
  order.payerRefunded += payerRefund;
  order.trade_state = "REFUND";
  context.store.refunds.set(keyOf(mchid, outRefundNo), record);
  context.store.created.refunds += 1;
  context.logger.info({ mchid, out_refund_no: outRefundNo, refund }, "refund accepted");

  // WeChat Pay accepts the refund first and settles it a moment later.
  setImmediate(() => settleRefund(context, record));
  return { status: 200, body: refundResource(record) };
}

function findPaidOrder(
  context: SimulatorContext,
  mchid: string,
  ids: { transactionId?: string; outTradeNo?: string },
): OrderRecord {
  let order: OrderRecord | undefined;
  if (ids.outTradeNo !== undefined) order = context.store.orders.get(keyOf(mchid, ids.outTradeNo));
  else {
    for (const candidate of context.store.orders.values()) {
      if (candidate.mchid === mchid && candidate.transaction_id === ids.transactionId) order = candidate;
    }
  }

  if (order === undefined) throw new V3ApiError("RESOURCE_NOT_EXISTS", "订单不存在");
  if (ids.transactionId !== undefined && order.transaction_id !== ids.transactionId) throw new V3ApiError("RESOURCE_NOT_EXISTS", "订单不存在");
  if (order.transaction_id === undefined) throw new V3ApiError("INVALID_REQUEST", "订单未支付，不能退款");
  return order;
}

/**
 * Splits a refund between the payer and the voucher in proportion to what each paid, in whole fen. The
 * refund that empties the order returns whatever the payer has left, so rounding never loses a fen.
 */
function splitPayerRefund(order: OrderRecord, refund: number): number {
  const payerTotal = order.payer_total ?? order.total;
  if (payerTotal === order.total) return refund;
  if (order.refunded + refund === order.total) return payerTotal - order.payerRefunded;
  return Math.min(Math.floor((refund * payerTotal) / order.total), payerTotal - order.payerRefunded);
}

function settleRefund(context: SimulatorContext, record: RefundRecord): void {
  if (record.status !== "PROCESSING") return;

  record.status = "SUCCESS";
  record.successTimeMs = context.clock.now();
  context.logger.info({ mchid: record.mchid, out_refund_no: record.out_refund_no }, "refund succeeded");

  if (record.notify_url === undefined) return;
  context.notifications.enqueue({
    mchid: record.mchid,
    url: record.notify_url,
    eventType: "REFUND.SUCCESS",
    summary: "退款成功",
    originalType: "refund",
    associatedData: "refund",
    resource: {
      mchid: record.mchid,
      out_trade_no: record.out_trade_no,
      transaction_id: record.transaction_id,
      out_refund_no: record.out_refund_no,
      refund_id: record.refund_id,
      refund_status: record.status,
      success_time: formatRfc3339(record.successTimeMs),
      user_received_account: "支付用户零钱",
      amount: { total: record.total, refund: record.refund, payer_total: record.payer_total, payer_refund: record.payer_refund },
    },
  });
}

/** GET /v3/refund/domestic/refunds/{out_refund_no} */
export function queryRefund(context: SimulatorContext, request: V3Request): V3Result {
  const record = context.store.refunds.get(keyOf(request.merchant.mchid, request.params.out_refund_no!));
  if (record === undefined) throw new V3ApiError("RESOURCE_NOT_EXISTS", "退款单不存在");
  return { status: 200, body: refundResource(record) };
}

export function refundResource(record: RefundRecord): JsonObject {
  const resource: JsonObject = {
    refund_id: record.refund_id,
    out_refund_no: record.out_refund_no,
    transaction_id: record.transaction_id,
    out_trade_no: record.out_trade_no,
    channel: "ORIGINAL",
    user_received_account: "支付用户零钱",
    create_time: formatRfc3339(record.createdAtMs),
    status: record.status,
    funds_account: "AVAILABLE",
    amount: {
      total: record.total,
      refund: record.refund,
      from: [],
      payer_total: record.payer_total,
      payer_refund: record.payer_refund,
      settlement_refund: record.refund,
      settlement_total: record.total,
      discount_refund: record.discount_refund,
      currency: "CNY",
      refund_fee: 0,
    },
    promotion_detail: [],
  };
  if (record.successTimeMs !== undefined) resource.success_time = formatRfc3339(record.successTimeMs);
  return resource;
}
