import { assertPositiveFen, assertFen } from "../amount.js";
import type { CallOptions, ClientContext } from "../context.js";
import type { WechatPayResult } from "../result.js";
import { callV3, parseJsonObject, pathSegment } from "../transport/v3-call.js";

export type StockStatus = "unactivated" | "audit" | "running" | "stoped" | "paused";

/** A voucher batch as `GET /v3/marketing/favor/stocks/{stock_id}` returns it; WeChat Pay may leave out any field. */
export interface VoucherStock {
  stock_id: string;
  stock_creator_mchid?: string;
  stock_name?: string;
  status?: StockStatus;
  create_time?: string;
  description?: string;
  start_time?: string;
  stop_time?: string;
  available_begin_time?: string;
  available_end_time?: string;
  distributed_coupons?: number;
  no_cash?: boolean;
  singleitem?: boolean;
  stock_type?: string;
  card_id?: string;
  business_type?: string;
  cut_to_message?: { single_price_max?: number; cut_to_price?: number };
  stock_use_rule?: {
    max_coupons?: number;
    /** Fen. */
    max_amount?: number;
    /** Fen. */
    max_amount_by_day?: number;
    max_coupons_per_user?: number;
    fixed_normal_coupon?: { coupon_amount?: number; transaction_minimum?: number };
    coupon_type?: "NORMAL" | "CUT_TO";
    goods_tag?: string[];
    trade_type?: string[];
    combine_use?: boolean;
  };
}

export interface QueryStockRequest {
  stock_id: string;
  /** Defaults to this client's merchant. */
  stock_creator_mchid?: string;
}

/** Body of `POST /v3/marketing/favor/users/{openid}/coupons`, plus the openid of the path. */
export interface SendCouponRequest {
  openid: string;
  stock_id: string;
  /** Idempotency key: resending the same number and body returns the same voucher. */
  out_request_no: string;
  appid: string;
  stock_creator_mchid: string;
  /** Fen; only for batches that let the sender choose the face value. */
  coupon_value?: number;
  /** Fen. */
  coupon_minimum?: number;
}

export interface SendCouponResponse {
  coupon_id: string;
}

export interface QueryCouponRequest {
  openid: string;
  coupon_id: string;
  appid: string;
}

export type CouponStatus = "SENDED" | "USED" | "EXPIRED" | "RECOVER";

export interface VoucherCoupon {
  stock_creator_mchid?: string;
  stock_id: string;
  coupon_id: string;
  coupon_name?: string;
  status: CouponStatus;
  description?: string;
  create_time?: string;
  coupon_type?: "NORMAL" | "CUT_TO";
  no_cash?: boolean;
  available_begin_time?: string;
  available_end_time?: string;
  singleitem?: boolean;
  normal_coupon_information?: { coupon_amount?: number; transaction_minimum?: number };
  cut_to_message?: { single_price_max?: number; cut_to_price?: number };
  consume_information?: {
    consume_time?: string;
    consume_mchid?: string;
    transaction_id?: string;
    goods_detail?: unknown[];
  };
  available_balance?: number;
  business_type?: string;
}

export interface SetCouponCallbackRequest {
  /** HTTPS, no query string. */
  notify_url: string;
  /** Defaults to true. */
  switch?: boolean;
  /** Defaults to this client's merchant. */
  mchid?: string;
}

export interface SetCouponCallbackResponse {
  update_time?: string;
  notify_url: string;
  mchid?: string;
}

export function queryStock(
  context: ClientContext,
  request: QueryStockRequest,
  options?: CallOptions,
): Promise<WechatPayResult<VoucherStock>> {
  const creator = request.stock_creator_mchid ?? context.config.mchid;
  return callV3(context, {
    operation: "queryStock",
    family: "voucher",
    effect: "read",
    method: "GET",
    pathAndQuery: `/v3/marketing/favor/stocks/${pathSegment(request.stock_id)}?stock_creator_mchid=${pathSegment(creator)}`,
    parse: (body) => parseJsonObject<VoucherStock>(body),
    options,
  });
}

export function sendCoupon(
  context: ClientContext,
  request: SendCouponRequest,
  options?: CallOptions,
): Promise<WechatPayResult<SendCouponResponse>> {
  if (request.coupon_value !== undefined) assertPositiveFen(request.coupon_value, "coupon_value");
  if (request.coupon_minimum !== undefined) assertFen(request.coupon_minimum, "coupon_minimum");

  const { openid, ...body } = request;
  return callV3(context, {
    operation: "sendCoupon",
    family: "voucher",
    effect: "write",
    method: "POST",
    pathAndQuery: `/v3/marketing/favor/users/${pathSegment(openid)}/coupons`,
    body,
    rateLimit: "voucherSend",
    parse: (responseBody) => parseJsonObject<SendCouponResponse>(responseBody),
    options,
  });
}

export function queryCoupon(
  context: ClientContext,
  request: QueryCouponRequest,
  options?: CallOptions,
): Promise<WechatPayResult<VoucherCoupon>> {
  return callV3(context, {
    operation: "queryCoupon",
    family: "voucher",
    effect: "read",
    method: "GET",
    pathAndQuery:
      `/v3/marketing/favor/users/${pathSegment(request.openid)}/coupons/${pathSegment(request.coupon_id)}` +
      `?appid=${pathSegment(request.appid)}`,
    parse: (body) => parseJsonObject<VoucherCoupon>(body),
    options,
  });
}

/** Sets the merchant's marketing notification URL, which receives COUPON.USE and other voucher events. */
export function setCouponCallback(
  context: ClientContext,
  request: SetCouponCallbackRequest,
  options?: CallOptions,
): Promise<WechatPayResult<SetCouponCallbackResponse>> {
  return callV3(context, {
    operation: "setCouponCallback",
    family: "voucher",
    effect: "write",
    method: "POST",
    pathAndQuery: "/v3/marketing/favor/callbacks",
    body: { mchid: request.mchid ?? context.config.mchid, notify_url: request.notify_url, switch: request.switch ?? true },
    parse: (body) => parseJsonObject<SetCouponCallbackResponse>(body),
    options,
  });
}
