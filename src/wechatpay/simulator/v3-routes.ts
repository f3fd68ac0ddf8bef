import { downloadCertificates } from "./certificates.js";
import type { SimulatorContext } from "./context.js";
import type { V3Operation } from "./faults.js";
import { closeOrder, createJsapiOrder, queryOrder } from "./payments.js";
import { createRefund, queryRefund } from "./refunds.js";
import { cancelTransferBill, createTransferBill, queryTransferBill } from "./transfers.js";
import { getFavorCallbacks, listUserCoupons, queryStock, queryUserCoupon, sendCoupon, setFavorCallbacks } from "./vouchers.js";
import type { V3Request, V3Result } from "./v3-types.js";

type Handler = (context: SimulatorContext, request: V3Request) => V3Result | Promise<V3Result>;

interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  operation: V3Operation;
  handler: Handler;
}

/** Turns `/v3/x/:name/y` into a regex with named groups for one path segment each. */
function route(method: Route["method"], path: string, operation: V3Operation, handler: Handler): Route {
  const source = path.replace(/:([a-z_]+)/g, (_match, name: string) => `(?<${name}>[^/]+)`);
  return { method, pattern: new RegExp(`^${source}$`), operation, handler };
}

const ROUTES: Route[] = [
  route("GET", "/v3/certificates", "downloadCertificates", downloadCertificates),
  route("POST", "/v3/pay/transactions/jsapi", "createJsapiOrder", createJsapiOrder),
  route("GET", "/v3/pay/transactions/out-trade-no/:out_trade_no", "queryOrder", queryOrder),
  route("GET", "/v3/pay/transactions/id/:transaction_id", "queryOrder", queryOrder),
  route("POST", "/v3/pay/transactions/out-trade-no/:out_trade_no/close", "closeOrder", closeOrder),
  route("POST", "/v3/refund/domestic/refunds", "createRefund", createRefund),
  route("GET", "/v3/refund/domestic/refunds/:out_refund_no", "queryRefund", queryRefund),
  route("POST", "/v3/marketing/favor/users/:openid/coupons", "sendCoupon", sendCoupon),
  route("GET", "/v3/marketing/favor/users/:openid/coupons", "listUserCoupons", listUserCoupons),
  route("GET", "/v3/marketing/favor/users/:openid/coupons/:coupon_id", "queryUserCoupon", queryUserCoupon),
  route("GET", "/v3/marketing/favor/stocks/:stock_id", "queryStock", queryStock),
  route("POST", "/v3/marketing/favor/callbacks", "setFavorCallbacks", setFavorCallbacks),
  route("GET", "/v3/marketing/favor/callbacks", "getFavorCallbacks", getFavorCallbacks),
  route("POST", "/v3/fund-app/mch-transfer/transfer-bills", "createTransferBill", createTransferBill),
  route("GET", "/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/:out_bill_no", "queryTransferBill", queryTransferBill),
  route("GET", "/v3/fund-app/mch-transfer/transfer-bills/transfer-bill-no/:transfer_bill_no", "queryTransferBill", queryTransferBill),
  route("POST", "/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/:out_bill_no/cancel", "cancelTransferBill", cancelTransferBill),
];

export interface MatchedRoute {
  operation: V3Operation;
  handler: Handler;
  params: Record<string, string>;
}

/** Finds the API for a method and raw path; path segments are percent-decoded. Undefined when none. */
export function matchRoute(method: string, rawPath: string): MatchedRoute | undefined {
  for (const candidate of ROUTES) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(rawPath);
    if (match === null) continue;

    const params: Record<string, string> = {};
    try {
      for (const [name, value] of Object.entries(match.groups ?? {})) params[name] = decodeURIComponent(value);
    } catch {
      return undefined;
    }
    return { operation: candidate.operation, handler: candidate.handler, params };
  }
  return undefined;
}
