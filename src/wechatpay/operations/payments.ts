import { assertFen, assertPositiveCount, assertPositiveFen } from "../amount.js";
import type { CallOptions, ClientContext } from "../context.js";
import { generateNonce } from "../crypto/nonce.js";
import { signRequestPayment, type RequestPaymentParams } from "../crypto/request-payment.js";
import type { WechatPayResult } from "../result.js";
import { callV3, parseJsonObject, pathSegment } from "../transport/v3-call.js";

export interface GoodsDetail {
  merchant_goods_id: string;
  wechatpay_goods_id?: string;
  goods_name?: string;
  quantity: number;
  /** Fen. */
  unit_price: number;
}

/** Body of `POST /v3/pay/transactions/jsapi`; the client adds `mchid`. */
export interface JsapiOrderRequest {
  appid: string;
  description: string;
  /** 6–32 characters of [0-9A-Za-z_-|*], unique per merchant. */
  out_trade_no: string;
  /** RFC 3339 with offset. */
  time_expire?: string;
  attach?: string;
  notify_url: string;
  goods_tag?: string;
  limit_pay?: Array<"no_balance" | "no_credit" | "no_debit" | "balance_only">;
  support_fapiao?: boolean;
  amount: { total: number; currency?: "CNY" };
  payer: { openid: string };
  detail?: { cost_price?: number; invoice_id?: string; goods_detail?: GoodsDetail[] };
  scene_info?: {
    payer_client_ip: string;
    device_id?: string;
    store_info?: { id: string; name?: string; area_code?: string; address?: string };
  };
  settle_info?: { profit_sharing?: boolean };
}

export interface JsapiOrderResponse {
  /** Valid for two hours. */
  prepay_id: string;
}

export type TradeState = "SUCCESS" | "REFUND" | "NOTPAY" | "CLOSED" | "REVOKED" | "USERPAYING" | "PAYERROR" | "ACCEPT";

export interface PromotionDetail {
  coupon_id: string;
  name?: string;
  scope?: "GLOBAL" | "SINGLE";
  type?: "CASH" | "NOCASH";
  /** Fen. */
  amount: number;
  stock_id?: string;
  wechatpay_contribute?: number;
  merchant_contribute?: number;
  other_contribute?: number;
  currency?: string;
  goods_detail?: Array<{
    goods_id: string;
    quantity: number;
    unit_price: number;
    discount_amount: number;
    goods_remark?: string;
  }>;
}

/** A payment as returned by the order query and in TRANSACTION.SUCCESS notifications. */
export interface Transaction {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: "JSAPI" | "NATIVE" | "APP" | "MICROPAY" | "MWEB" | "FACEPAY";
  trade_state: TradeState;
  trade_state_desc?: string;
  bank_type?: string;
  attach?: string;
  success_time?: string;
  payer?: { openid?: string };
  amount?: { total?: number; payer_total?: number; currency?: string; payer_currency?: string };
  scene_info?: { device_id?: string };
  promotion_detail?: PromotionDetail[];
}

function assertOrderAmounts(request: JsapiOrderRequest): void {
  assertPositiveFen(request.amount?.total, "amount.total");
  if (request.detail?.cost_price !== undefined) assertFen(request.detail.cost_price, "detail.cost_price");
  for (const [index, goods] of (request.detail?.goods_detail ?? []).entries()) {
    assertFen(goods.unit_price, `detail.goods_detail[${index}].unit_price`);
    assertPositiveCount(goods.quantity, `detail.goods_detail[${index}].quantity`);
  }
}

export function createJsapiOrder(
  context: ClientContext,
  request: JsapiOrderRequest,
  options?: CallOptions,
): Promise<WechatPayResult<JsapiOrderResponse>> {
  assertOrderAmounts(request);
  return callV3(context, {
    operation: "createJsapiOrder",
    family: "payment",
    effect: "write",
    method: "POST",
    pathAndQuery: "/v3/pay/transactions/jsapi",
    body: { ...request, mchid: context.config.mchid },
    parse: (body) => parseJsonObject<JsapiOrderResponse>(body),
    options,
  });
}

export function queryOrderByOutTradeNo(
  context: ClientContext,
  out_trade_no: string,
  options?: CallOptions,
): Promise<WechatPayResult<Transaction>> {
  return callV3(context, {
    operation: "queryOrderByOutTradeNo",
    family: "payment",
    effect: "read",
    method: "GET",
    pathAndQuery: `/v3/pay/transactions/out-trade-no/${pathSegment(out_trade_no)}?mchid=${pathSegment(context.config.mchid)}`,
    parse: (body) => parseJsonObject<Transaction>(body),
    options,
  });
}

/** Closes an unpaid order; WeChat Pay responds with 204 No Content. */
export function closeOrder(
  context: ClientContext,
  out_trade_no: string,
  options?: CallOptions,
): Promise<WechatPayResult<void>> {
  return callV3(context, {
    operation: "closeOrder",
    family: "payment",
    effect: "write",
    method: "POST",
    pathAndQuery: `/v3/pay/transactions/out-trade-no/${pathSegment(out_trade_no)}/close`,
    body: { mchid: context.config.mchid },
    parse: () => undefined,
    options,
  });
}

/** Signs the parameters a JSAPI page or mini program needs to open the payment sheet for `prepay_id`. */
export function buildRequestPaymentParams(context: ClientContext, appid: string, prepay_id: string): RequestPaymentParams {
  return signRequestPayment({
    appid,
    prepay_id,
    privateKey: context.privateKey,
    timestamp: Math.floor(context.now() / 1000),
    nonce: generateNonce(),
  });
}
