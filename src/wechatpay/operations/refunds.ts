import { assertPositiveCount, assertPositiveFen, assertFen } from "../amount.js";
import type { CallOptions, ClientContext } from "../context.js";
import { WechatPayProgrammingError } from "../errors.js";
import type { WechatPayResult } from "../result.js";
import { callV3, parseJsonObject, pathSegment } from "../transport/v3-call.js";

/** Body of `POST /v3/refund/domestic/refunds`; name the order by transaction_id or out_trade_no. */
export interface RefundRequest {
  transaction_id?: string;
  out_trade_no?: string;
  out_refund_no: string;
  reason?: string;
  notify_url?: string;
  funds_account?: "AVAILABLE";
  amount: {
    /** Fen. */
    refund: number;
    /** Fen; the original order amount. */
    total: number;
    currency: "CNY";
    from?: Array<{ account: "AVAILABLE" | "UNAVAILABLE"; amount: number }>;
  };
  goods_detail?: Array<{
    merchant_goods_id: string;
    wechatpay_goods_id?: string;
    goods_name?: string;
    unit_price: number;
    refund_amount: number;
    refund_quantity: number;
  }>;
}

export type RefundStatus = "SUCCESS" | "CLOSED" | "PROCESSING" | "ABNORMAL";

export interface Refund {
  refund_id: string;
  out_refund_no: string;
  transaction_id: string;
  out_trade_no: string;
  channel?: "ORIGINAL" | "BALANCE" | "OTHER_BALANCE" | "OTHER_BANKCARD";
  user_received_account?: string;
  success_time?: string;
  create_time?: string;
  status: RefundStatus;
  funds_account?: string;
  amount: {
    total: number;
    refund: number;
    from?: Array<{ account: string; amount: number }>;
    payer_total?: number;
    payer_refund?: number;
    settlement_refund?: number;
    settlement_total?: number;
    discount_refund?: number;
    currency?: string;
    refund_fee?: number;
  };
  promotion_detail?: Array<{
    promotion_id: string;
    scope?: "GLOBAL" | "SINGLE";
    type?: "COUPON" | "DISCOUNT";
    amount: number;
    refund_amount: number;
    goods_detail?: unknown[];
  }>;
}

function assertRefundRequest(request: RefundRequest): void {
  if (request.transaction_id === undefined && request.out_trade_no === undefined) {
    throw new WechatPayProgrammingError("a refund needs transaction_id or out_trade_no");
  }
  assertPositiveFen(request.amount?.refund, "amount.refund");
  assertPositiveFen(request.amount.total, "amount.total");
  if (request.amount.refund > request.amount.total) {
    throw new WechatPayProgrammingError(
      `amount.refund ${request.amount.refund} exceeds the order amount.total ${request.amount.total}`,
    );
  }
  for (const [index, source] of (request.amount.from ?? []).entries()) {
    assertFen(source.amount, `amount.from[${index}].amount`);
  }
  for (const [index, goods] of (request.goods_detail ?? []).entries()) {
    assertFen(goods.unit_price, `goods_detail[${index}].unit_price`);
    assertFen(goods.refund_amount, `goods_detail[${index}].refund_amount`);
    assertPositiveCount(goods.refund_quantity, `goods_detail[${index}].refund_quantity`);
  }
}

export function createRefund(
  context: ClientContext,
  request: RefundRequest,
  options?: CallOptions,
): Promise<WechatPayResult<Refund>> {
  assertRefundRequest(request);
  return callV3(context, {
    operation: "createRefund",
    family: "refund",
    effect: "write",
    method: "POST",
    pathAndQuery: "/v3/refund/domestic/refunds",
    body: request,
    parse: (body) => parseJsonObject<Refund>(body),
    options,
  });
}

export function queryRefund(
  context: ClientContext,
  out_refund_no: string,
  options?: CallOptions,
): Promise<WechatPayResult<Refund>> {
  return callV3(context, {
    operation: "queryRefund",
    family: "refund",
    effect: "read",
    method: "GET",
    pathAndQuery: `/v3/refund/domestic/refunds/${pathSegment(out_refund_no)}`,
    parse: (body) => parseJsonObject<Refund>(body),
    options,
  });
}
