import type { WechatPayOutcome } from "./result.js";

/**
 * Every error code the client recognises and what it means for the request that caused it. Codes are
 * grouped by API family because the same code can mean different things (NOT_ENOUGH empties a voucher
 * batch for good, but a transfer or refund with NOT_ENOUGH goes through with the same number after a top-up).
 */
export type ApiFamily = "payment" | "refund" | "voucher" | "transfer" | "certificate";

/** A read changes nothing at WeChat Pay, so its failures are never "unknown". */
export type CallEffect = "read" | "write";

export interface ErrorClassification {
  outcome: WechatPayOutcome;
  /** Whether the client itself sends the request again (same number, same body) after a backoff. */
  autoRetry: boolean;
}

interface CodeRule extends ErrorClassification {
  meaning: string;
}

const definitive = (meaning: string): CodeRule => ({ outcome: "definitive", autoRetry: false, meaning });
const transient = (meaning: string): CodeRule => ({ outcome: "retryable", autoRetry: true, meaning });
const retryLater = (meaning: string): CodeRule => ({ outcome: "retryable", autoRetry: false, meaning });
const unknown = (meaning: string): CodeRule => ({ outcome: "unknown", autoRetry: false, meaning });

/** APIv3 codes shared by every family (HTTP 400/401/403/404/429/5xx). */
const V3_COMMON: Record<string, CodeRule> = {
  PARAM_ERROR: definitive("a field is missing or invalid"),
  INVALID_REQUEST: definitive("the request breaks a business rule"),
  SIGN_ERROR: definitive("the request signature is wrong (key, serial or signed bytes)"),
  NO_AUTH: definitive("the merchant has no permission for this API or resource"),
  NOAUTH: definitive("the merchant has no permission for this API or resource"),
  MCH_NOT_EXISTS: definitive("the merchant number does not exist"),
  APPID_MCHID_NOT_MATCH: definitive("the appid is not bound to the merchant"),
  RESOURCE_NOT_EXISTS: definitive("the resource does not exist"),
  NOT_FOUND: definitive("the resource does not exist"),
  USER_ACCOUNT_ABNORMAL: definitive("the user's account is abnormal"),
  FREQUENCY_LIMITED: transient("rate limited by WeChat Pay"),
  FREQUENCY_LIMIT_EXCEED: transient("rate limited by WeChat Pay"),
  SYSTEM_ERROR: transient("WeChat Pay system error; send the same request again"),
  SERVICE_UNAVAILABLE: transient("WeChat Pay is temporarily unavailable"),
};

const V3_FAMILY_CODES: Record<ApiFamily, Record<string, CodeRule>> = {
  // JSAPI order, order query and close.
  payment: {
    OUT_TRADE_NO_USED: definitive("out_trade_no was already used with different parameters"),
    ORDERPAID: definitive("the order is already paid; query it"),
    ORDER_PAID: definitive("the order is already paid; query it"),
    ORDER_CLOSED: definitive("the order is closed; create a new out_trade_no"),
    ORDERCLOSED: definitive("the order is closed; create a new out_trade_no"),
    ORDER_NOT_EXIST: definitive("no order with this out_trade_no"),
    ORDERNOTEXIST: definitive("no order with this out_trade_no"),
    TRADE_ERROR: definitive("the trade was rejected by business rules"),
    RULE_LIMIT: definitive("the trade hit a business limit"),
    ACCOUNT_ERROR: definitive("the merchant account is abnormal"),
    ACCOUNTERROR: definitive("the merchant account is abnormal"),
    NOT_ENOUGH: definitive("the payer's balance is insufficient"),
    BANK_ERROR: transient("the bank system failed; send the same request again"),
    BANKERROR: transient("the bank system failed; send the same request again"),
  },
  refund: {
    NOT_ENOUGH: retryLater("merchant balance is insufficient; top up, then retry the same out_refund_no"),
    ORDER_NOT_EXIST: definitive("no order for this refund"),
    RESOURCE_NOT_EXISTS: definitive("no refund or order with this number"),
  },
  // Voucher send and queries. The send API is idempotent per out_request_no.
  voucher: {
    RESOURCE_ALREADY_EXISTS: definitive("the request number was reused with different content"),
    NOT_ENOUGH: definitive("the batch budget or count is exhausted"),
    REQUEST_BLOCKED: definitive("blocked: no permission, cross-merchant send not allowed or per-user cap reached"),
    RULE_LIMIT: definitive("the user reached the batch's per-user cap"),
    USER_AL_GET_COUPON: definitive("the user reached the natural-person cap"),
  },
  // Merchant transfer bills. For any 5xx or unlisted code the bill may exist: query by out_bill_no first.
  transfer: {
    NOT_ENOUGH: retryLater("operating account balance is insufficient; top up, then retry the same out_bill_no"),
    USER_ERROR: definitive("the merchant is restricted and cannot transfer now"),
    SYSTEM_ERROR: unknown("WeChat Pay system error; query by out_bill_no before retrying the same body"),
  },
  certificate: {},
};

/**
 * Classifies an APIv3 error response. Unlisted codes on writes are "unknown", because the official rule
 * for money-moving APIs is to query by the request number before trying anything else.
 */
export function classifyV3Error(
  family: ApiFamily,
  effect: CallEffect,
  httpStatus: number,
  code: string | undefined,
): ErrorClassification {
  const listed = code !== undefined ? (V3_FAMILY_CODES[family][code] ?? V3_COMMON[code]) : undefined;
  const rule = listed ?? statusRule(family, httpStatus);
  return forEffect(rule, effect);
}

function statusRule(family: ApiFamily, httpStatus: number): CodeRule {
  if (httpStatus === 429) return transient("rate limited by WeChat Pay");
  if (httpStatus >= 500) {
    return family === "transfer"
      ? unknown("WeChat Pay server error; query by out_bill_no before retrying the same body")
      : transient("WeChat Pay server error; send the same request again");
  }
  return unknown("unlisted error code; query by the request number before retrying");
}

/** Reads cannot have taken effect, so an "unknown" read is plainly retryable. */
function forEffect(rule: ErrorClassification, effect: CallEffect): ErrorClassification {
  if (effect === "read" && rule.outcome === "unknown") return { outcome: "retryable", autoRetry: true };
  return { outcome: rule.outcome, autoRetry: rule.autoRetry };
}

/** APIv2 cash red packet operations. */
export type RedPacketOperation = "sendredpack" | "gethbinfo";

/**
 * `err_code` values of sendredpack. WeChat Pay spells some with and some without underscores
 * (SENDNUM_LIMIT / SENDNUMLIMIT), so lookups strip underscores on both sides.
 */
const SENDREDPACK_CODES: Record<string, CodeRule> = {
  SYSTEMERROR: unknown("request accepted without a definite result; query gethbinfo with the same mch_billno"),
  PROCESSING: unknown("still being processed; query gethbinfo later with the same mch_billno"),
  SEND_FAILED: definitive("this red packet failed for good; a new mch_billno is needed"),
  FATAL_ERROR: definitive("the same mch_billno was sent with a different openid or amount"),
  NOTENOUGH: retryLater("merchant balance is insufficient; top up, then retry the same mch_billno"),
  FREQ_LIMIT: transient("rate limited; retry the same mch_billno later"),
  SENDNUM_LIMIT: definitive("the user reached the daily number of red packets"),
  RCVDAMOUNT_LIMIT: definitive("the user reached the daily amount received"),
  SENDAMOUNT_LIMIT: definitive("the merchant reached the daily amount sent"),
  MONEY_LIMIT: definitive("the amount is outside the allowed range"),
  NO_AUTH: definitive("blocked by WeChat Pay risk control for this user"),
  OPENID_ERROR: definitive("the openid does not belong to wxappid"),
  ILLEGAL_APPID: definitive("wxappid is not an official account appid"),
  MSGAPPID_ERROR: definitive("msgappid is not bound to the merchant"),
  ACCEPTMODE_ERROR: definitive("the service provider and sub-merchant relation check failed"),
  API_METHOD_CLOSED: definitive("API sending is switched off in the merchant platform"),
  CA_ERROR: definitive("the TLS client certificate is missing or wrong"),
  SIGN_ERROR: definitive("the sign is wrong"),
  XML_ERROR: definitive("the XML body is malformed"),
  PARAM_ERROR: definitive("a field is invalid; a retry must repeat the original amount"),
  PAYER_ACCOUNT_ABNORMAL: definitive("the merchant account is restricted"),
  TIME_LIMITED: retryLater("sending is not allowed at this time; retry the same mch_billno later"),
};

const GETHBINFO_CODES: Record<string, CodeRule> = {
  NOT_FOUND: definitive("no red packet with this mch_billno"),
  SYSTEMERROR: transient("WeChat Pay system error; query again"),
  FREQ_LIMIT: transient("rate limited; query again later"),
  CA_ERROR: definitive("the TLS client certificate is missing or wrong"),
  SIGN_ERROR: definitive("the sign is wrong"),
  NO_AUTH: definitive("no permission to query this red packet"),
  XML_ERROR: definitive("the XML body is malformed"),
  PARAM_ERROR: definitive("a field is invalid"),
};

const RED_PACKET_CODES: Record<RedPacketOperation, Map<string, CodeRule>> = {
  sendredpack: byNormalizedCode(SENDREDPACK_CODES),
  gethbinfo: byNormalizedCode(GETHBINFO_CODES),
};

function byNormalizedCode(table: Record<string, CodeRule>): Map<string, CodeRule> {
  return new Map(Object.entries(table).map(([code, rule]) => [code.replaceAll("_", ""), rule]));
}

/** Classifies a red packet response with `result_code` FAIL by its `err_code`. */
export function classifyRedPacketError(operation: RedPacketOperation, errCode: string | undefined): ErrorClassification {
  const rule = errCode !== undefined ? RED_PACKET_CODES[operation].get(errCode.replaceAll("_", "").toUpperCase()) : undefined;
  if (rule !== undefined) return { outcome: rule.outcome, autoRetry: rule.autoRetry };
  return operation === "gethbinfo"
    ? { outcome: "definitive", autoRetry: false }
    : { outcome: "unknown", autoRetry: false };
}

/** Client-side failure codes, for failures where WeChat Pay sent no usable response. */
export type TransportFailureCode =
  | "CONNECTION_FAILED"
  | "CONNECTION_LOST"
  | "TIMEOUT"
  | "ABORTED"
  | "RATE_LIMIT_WAIT_ABORTED"
  | "RESPONSE_SIGNATURE_INVALID"
  | "RESPONSE_MALFORMED";

// An abort is the caller's decision and a bad response signature may be an attack, so neither is retried here.
const NEVER_AUTO_RETRIED = new Set<TransportFailureCode>([
  "ABORTED",
  "RATE_LIMIT_WAIT_ABORTED",
  "RESPONSE_SIGNATURE_INVALID",
  "RESPONSE_MALFORMED",
]);

/**
 * Classifies a failure without a usable response. A write that reached the server may have taken
 * effect, so it is "unknown", and one that never left is "retryable". A read has no effect, so it is
 * retryable either way.
 */
export function classifyTransportFailure(
  code: TransportFailureCode,
  effect: CallEffect,
  reachedServer: boolean,
): ErrorClassification {
  const autoRetry = !NEVER_AUTO_RETRIED.has(code);
  if (!reachedServer || effect === "read") return { outcome: "retryable", autoRetry };
  return { outcome: "unknown", autoRetry: false };
}

/** Returns the meaning of a documented code for log lines and messages, or undefined for unlisted codes. */
export function describeErrorCode(family: ApiFamily | RedPacketOperation, code: string): string | undefined {
  if (family === "sendredpack" || family === "gethbinfo") {
    return RED_PACKET_CODES[family].get(code.replaceAll("_", "").toUpperCase())?.meaning;
  }
  return (V3_FAMILY_CODES[family][code] ?? V3_COMMON[code])?.meaning;
}
