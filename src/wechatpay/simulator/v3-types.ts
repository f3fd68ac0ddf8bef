import type { MerchantRecord } from "./store.js";
import type { JsonObject } from "./validation.js";

/** An authenticated APIv3 request after its signature was checked. */
export interface V3Request {
  merchant: MerchantRecord;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body, or undefined when the request had none. */
  body: JsonObject | undefined;
  /** The request's `Wechatpay-Serial` header: the WeChat Pay key that encrypted fields and that should sign the response. */
  wechatpaySerial: string | undefined;
}

export interface V3Result {
  status: number;
  body?: unknown;
}
