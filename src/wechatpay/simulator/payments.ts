import { formatRfc3339, parseRfc3339 } from "./clock.js";
import { getMerchantOrThrow, type SimulatorContext } from "./context.js";
import { SimulatorUsageError, V3ApiError } from "./errors.js";
import { newPrepayId, newTransactionId } from "./ids.js";
import { canonicalJson, keyOf, type CouponRecord, type OrderRecord, type PromotionDetail } from "./store.js";
import { couponResource, findCouponForPayment } from "./vouchers.js";
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

/** A prepay_id can start a payment for 2 hours; after that the merchant must order again. */
const PREPAY_VALIDITY_MS = 2 * 3_600_000;

export const OUT_TRADE_NO_PATTERN = /^[0-9A-Za-z_\-|*]{6,32}$/;

const TRADE_STATE_DESCRIPTIONS: Record<OrderRecord["trade_state"], string> = {
  NOTPAY: "订单未支付",
  SUCCESS: "支付成功",
  CLOSED: "订单已关闭",
  REFUND: "转入退款",
};

/** POST /v3/pay/transactions/jsapi */
export function createJsapiOrder(context: SimulatorContext, request: V3Request): V3Result {
  const body = requireBody(request);
  const { merchant } = request;

  const appid = requireString(body, "appid", { maxLength: 32 });
  const mchid = requireString(body, "mchid", { maxLength: 32 });
  const description = requireString(body, "description", { maxLength: 127 });
  const outTradeNo = requireString(body, "out_trade_no", {
    pattern: OUT_TRADE_NO_PATTERN,
    describe: "须为6-32位数字、大小写字母或_-|*",
  });
  const timeExpire = optionalString(body, "time_expire", { maxLength: 64 });
  const attach = optionalString(body, "attach", { maxLength: 128 });
  const notifyUrl = requireNotifyUrl(body)!;
  const amount = requireObject(body, "amount");
  const total = requireInteger(amount, "total", "amount.total", { min: 1 });
  const currency = optionalString(amount, "currency") ?? "CNY";
  const payer = requireObject(body, "payer");
  const openid = requireString(payer, "openid", { maxLength: 128 });

  if (mchid !== merchant.mchid) {
    throw new V3ApiError("PARAM_ERROR", "请求体中的mchid与发起请求的商户号不一致", { field: "mchid", value: mchid, location: "body" });
  }
  if (currency !== "CNY") {
    throw new V3ApiError("PARAM_ERROR", "amount.currency仅支持CNY", { field: "amount.currency", value: currency, location: "body" });
  }
  if (!merchant.appids.includes(appid)) throw new V3ApiError("APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
  assertOpenidBelongsToAppid(context, openid, appid);

  const now = context.clock.now();
  let timeExpireMs: number | undefined;
  if (timeExpire !== undefined) {
    timeExpireMs = parseRfc3339(timeExpire);
    if (timeExpireMs === undefined) {
      throw new V3ApiError("PARAM_ERROR", "time_expire格式错误，须为rfc3339格式", { field: "time_expire", value: timeExpire, location: "body" });
    }
    if (timeExpireMs <= now) throw new V3ApiError("INVALID_REQUEST", "订单失效时间不能早于当前时间");
  }

  expireDueOrders(context);
  const fingerprint = canonicalJson(body);
  const key = keyOf(merchant.mchid, outTradeNo);
  const existing = context.store.orders.get(key);
  if (existing !== undefined) return respondToRepeatedOrder(existing, fingerprint, now);

  const order: OrderRecord = {
    mchid: merchant.mchid,
    appid,
    out_trade_no: outTradeNo,
    description,
    notify_url: notifyUrl,
    attach,
    timeExpireMs,
    total,
    openid,
    requestFingerprint: fingerprint,
    prepay_id: newPrepayId(now),
    prepayIssuedAtMs: now,
    trade_state: "NOTPAY",
    refunded: 0,
    payerRefunded: 0,
    createdAtMs: now,
  };
  context.store.orders.set(key, order);
  context.store.created.orders += 1;
  context.logger.info({ mchid: merchant.mchid, out_trade_no: outTradeNo, total }, "JSAPI order created");

  return { status: 200, body: { prepay_id: order.prepay_id } };
}

/**
 * Re-ordering with an identical body is how a merchant gets the prepay_id again (a fresh one once the
 * old one is over 2 hours old). Any change under the same out_trade_no is rejected.
 */
function respondToRepeatedOrder(order: OrderRecord, fingerprint: string, now: number): V3Result {
  if (order.trade_state === "SUCCESS" || order.trade_state === "REFUND") throw new V3ApiError("ORDERPAID", "该订单已支付");
  if (order.trade_state === "CLOSED") throw new V3ApiError("ORDER_CLOSED", "该订单已关闭");

  // NOTE: WeChat Pay has rejected a changed body both as INVALID_REQUEST "201 商户订单号重复" and as
  // OUT_TRADE_NO_USED; the simulator uses the first, which is what recent JSAPI reports show.
  if (order.requestFingerprint !== fingerprint) throw new V3ApiError("INVALID_REQUEST", "201 商户订单号重复");

  if (now - order.prepayIssuedAtMs >= PREPAY_VALIDITY_MS) {
    order.prepay_id = newPrepayId(now);
    order.prepayIssuedAtMs = now;
  }
  return { status: 200, body: { prepay_id: order.prepay_id } };
}

/** GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid= and /v3/pay/transactions/id/{transaction_id}?mchid= */
export function queryOrder(context: SimulatorContext, request: V3Request): V3Result {
  const mchid = request.query.get("mchid");
  if (mchid === null || mchid === "") {
    throw new V3ApiError("PARAM_ERROR", "输入源“/query/mchid”映射到值字段“mchid”必填性规则校验失败，此字段为必填项", {
      field: "mchid",
      location: "query",
    });
  }
  if (mchid !== request.merchant.mchid) throw new V3ApiError("PARAM_ERROR", "mchid与发起请求的商户号不一致", { field: "mchid", value: mchid, location: "query" });

  expireDueOrders(context);
  const order = findOrder(context, request);
  if (order === undefined) throw new V3ApiError("ORDER_NOT_EXIST", "订单不存在");

  return { status: 200, body: transactionResource(order) };
}

function findOrder(context: SimulatorContext, request: V3Request): OrderRecord | undefined {
  const mchid = request.merchant.mchid;
  const outTradeNo = request.params.out_trade_no;
  if (outTradeNo !== undefined) return context.store.orders.get(keyOf(mchid, outTradeNo));

  const transactionId = request.params.transaction_id;
  for (const order of context.store.orders.values()) {
    if (order.mchid === mchid && order.transaction_id !== undefined && order.transaction_id === transactionId) return order;
  }
  return undefined;
}

/** POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close; responds 204 with no body. */
export function closeOrder(context: SimulatorContext, request: V3Request): V3Result {
  const body = requireBody(request);
  const mchid = requireString(body, "mchid", { maxLength: 32 });
  if (mchid !== request.merchant.mchid) throw new V3ApiError("PARAM_ERROR", "mchid与发起请求的商户号不一致", { field: "mchid", value: mchid, location: "body" });

  expireDueOrders(context);
  const order = context.store.orders.get(keyOf(mchid, request.params.out_trade_no!));
  if (order === undefined) throw new V3ApiError("ORDER_NOT_EXIST", "订单不存在");
  if (order.trade_state === "SUCCESS" || order.trade_state === "REFUND") throw new V3ApiError("ORDERPAID", "订单已支付");

  order.trade_state = "CLOSED";
  context.logger.info({ mchid, out_trade_no: order.out_trade_no }, "order closed");
  return { status: 204 };
}

/** Builds the Transaction object of queries and TRANSACTION.SUCCESS resources. Unpaid orders carry fewer fields. */
export function transactionResource(order: OrderRecord): JsonObject {
  const paid = order.transaction_id !== undefined;
  const resource: JsonObject = {
    amount: paid
      ? { currency: "CNY", payer_currency: "CNY", payer_total: order.payer_total, total: order.total }
      : { currency: "CNY", payer_currency: "CNY", total: order.total },
    appid: order.appid,
    mchid: order.mchid,
    out_trade_no: order.out_trade_no,
    payer: paid ? { openid: order.openid } : {},
    promotion_detail: order.promotion_detail ?? [],
    trade_state: order.trade_state,
    trade_state_desc: TRADE_STATE_DESCRIPTIONS[order.trade_state],
  };

  if (order.attach !== undefined) resource.attach = order.attach;
  if (paid) {
    resource.bank_type = "OTHERS";
    resource.success_time = formatRfc3339(order.successTimeMs!);
    resource.trade_type = "JSAPI";
    resource.transaction_id = order.transaction_id;
  }
  return resource;
}

export interface PayOrderInput {
  /** Must be the order's payer when given; JSAPI orders are paid by the openid they were placed for. */
  openid?: string;
  coupon_id?: string;
}

/**
 * Pays the order as the customer does in WeChat. A voucher is deducted into `promotion_detail` and
 * marked USED. Then TRANSACTION.SUCCESS goes to the order's notify_url and COUPON.USE to the voucher
 * callback URL.
 */
export function payOrder(context: SimulatorContext, mchid: string, outTradeNo: string, input: PayOrderInput = {}): JsonObject {
  getMerchantOrThrow(context, mchid);
  expireDueOrders(context);

  const order = context.store.orders.get(keyOf(mchid, outTradeNo));
  if (order === undefined) throw new SimulatorUsageError(`order ${outTradeNo} of merchant ${mchid} does not exist`, 404);
  if (order.trade_state !== "NOTPAY") throw new SimulatorUsageError(`order ${outTradeNo} cannot be paid: trade_state is ${order.trade_state}`, 409);

  const now = context.clock.now();
  if (now - order.prepayIssuedAtMs >= PREPAY_VALIDITY_MS) {
    throw new SimulatorUsageError(`prepay_id of order ${outTradeNo} expired after 2 hours; the merchant must order again`, 409);
  }
  if (input.openid !== undefined && input.openid !== order.openid) {
    throw new SimulatorUsageError(`order ${outTradeNo} was placed for openid ${order.openid}, not ${input.openid}`, 409);
  }

  let coupon: CouponRecord | undefined;
  let promotion: PromotionDetail | undefined;
  if (input.coupon_id !== undefined) {
    ({ coupon, promotion } = findCouponForPayment(context, { order, couponId: input.coupon_id, now }));
  }

  order.trade_state = "SUCCESS";
  order.transaction_id = newTransactionId(now);
  order.successTimeMs = now;
  order.payer_total = order.total - (promotion?.amount ?? 0);
  order.promotion_detail = promotion === undefined ? [] : [promotion];
  context.logger.info({ mchid, out_trade_no: outTradeNo, transaction_id: order.transaction_id }, "order paid");

  context.notifications.enqueue({
    mchid,
    url: order.notify_url,
    eventType: "TRANSACTION.SUCCESS",
    summary: "支付成功",
    originalType: "transaction",
    associatedData: "transaction",
    resource: transactionResource(order),
  });

  if (coupon !== undefined) {
    coupon.status = "USED";
    coupon.consume = { consume_time: formatRfc3339(now), consume_mchid: mchid, transaction_id: order.transaction_id };
    const creator = context.store.merchants.get(coupon.stock_creator_mchid);
    const callback = creator?.favorCallback;
    if (callback !== undefined && callback.switch) {
      context.notifications.enqueue({
        mchid: coupon.stock_creator_mchid,
        url: callback.notify_url,
        eventType: "COUPON.USE",
        summary: "代金券核销通知",
        originalType: "coupon",
        associatedData: "coupon",
        resource: couponResource(context, coupon),
      });
    }
  }

  return transactionResource(order);
}

/** Closes unpaid orders whose time_expire has passed on the business clock. */
export function expireDueOrders(context: SimulatorContext): void {
  const now = context.clock.now();
  for (const order of context.store.orders.values()) {
    if (order.trade_state === "NOTPAY" && order.timeExpireMs !== undefined && order.timeExpireMs <= now) {
      order.trade_state = "CLOSED";
      context.logger.info({ mchid: order.mchid, out_trade_no: order.out_trade_no }, "unpaid order closed at time_expire");
    }
  }
}

/** Rejects an openid that the simulator issued under a different appid; other openids pass. */
export function assertOpenidBelongsToAppid(context: SimulatorContext, openid: string, appid: string): void {
  const owner = context.store.openidAppids.get(openid);
  if (owner !== undefined && owner !== appid) throw new V3ApiError("PARAM_ERROR", "openid和appid不匹配", { field: "openid", value: openid, location: "body" });
}
