import { randomBytes } from "node:crypto";
import type { WechatPayClient, WechatPayFailure } from "../../wechatpay/index.js";
import type { MessageKey, MessageParams } from "../../i18n/messages.js";

export interface ConnectionCheck {
  name: "CERTIFICATE" | "API_V3" | "API_V2";
  ok: boolean;
  key: MessageKey;
  params: MessageParams;
}

const CERTIFICATE_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/** Check the merchant certificate's validity window against the current time. */
export function checkCertificateDates(serial: string, expiresAt: Date | null, now: Date): ConnectionCheck {
  if (!expiresAt) return { name: "CERTIFICATE", ok: true, key: "merchant.check.certificateValid", params: { serial, date: "?" } };
  const date = expiresAt.toISOString().slice(0, 10);
  if (expiresAt <= now) return { name: "CERTIFICATE", ok: false, key: "merchant.check.certificateExpired", params: { serial, date } };
  const days = Math.floor((expiresAt.getTime() - now.getTime()) / DAY_MS);
  if (days < CERTIFICATE_WARNING_DAYS) {
    return { name: "CERTIFICATE", ok: true, key: "merchant.check.certificateExpiring", params: { serial, date, days } };
  }
  return { name: "CERTIFICATE", ok: true, key: "merchant.check.certificateValid", params: { serial, date } };
}

/**
 * Make one harmless signed APIv3 call and explain its outcome. Merchants on platform certificates download
 * them (which also proves the APIv3 key); merchants on the WeChat Pay public key query an order number
 * that cannot exist, where ORDER_NOT_EXIST proves the signature was accepted and the answer verified.
 */
export async function checkApiV3(client: WechatPayClient, usesPublicKey: boolean, apiBaseUrl: string): Promise<ConnectionCheck> {
  if (!usesPublicKey) {
    const result = await client.downloadCertificates();
    if (result.ok) return { name: "API_V3", ok: true, key: "merchant.check.apiV3Ok", params: {} };
    return { name: "API_V3", ok: false, ...explainV3Failure(result, apiBaseUrl, "/v3/certificates") };
  }

  const result = await client.queryOrderByOutTradeNo(`CONNTEST${randomBytes(8).toString("hex")}`);
  if (result.ok || result.code === "ORDER_NOT_EXIST" || result.code === "RESOURCE_NOT_EXISTS") {
    return { name: "API_V3", ok: true, key: "merchant.check.apiV3Ok", params: {} };
  }
  return { name: "API_V3", ok: false, ...explainV3Failure(result, apiBaseUrl, "/v3/pay/transactions") };
}

/** Query a red packet number that cannot exist: NOT_FOUND proves the client certificate and APIv2 key. */
export async function checkApiV2(client: WechatPayClient, mchid: string, appid: string, apiBaseUrl: string): Promise<ConnectionCheck> {
  const result = await client.queryRedPack({ appid, mch_billno: `${mchid}${randomBytes(5).toString("hex")}`.slice(0, 28) });
  if (result.ok || result.code === "NOT_FOUND") return { name: "API_V2", ok: true, key: "merchant.check.apiV2Ok", params: {} };

  const code = result.code;
  if (code === "SIGN_ERROR" || code === "SIGNERROR") {
    return { name: "API_V2", ok: false, key: "merchant.check.apiV2KeyWrong", params: { code } };
  }
  if (code === "CA_ERROR" || code === "CERT_ERROR") {
    return { name: "API_V2", ok: false, key: "merchant.check.clientCertificateRejected", params: { code } };
  }
  if (code === "NO_AUTH" || code === "NOAUTH") {
    return { name: "API_V2", ok: false, key: "merchant.check.noPermission", params: { code, operation: "gethbinfo" } };
  }
  if (isUnreachable(result)) {
    return { name: "API_V2", ok: false, key: "merchant.check.unreachable", params: { url: apiBaseUrl, reason: result.message } };
  }
  return { name: "API_V2", ok: false, key: "merchant.check.unexpected", params: { code, message: result.message } };
}

function explainV3Failure(failure: WechatPayFailure, apiBaseUrl: string, operation: string): Pick<ConnectionCheck, "key" | "params"> {
  const code = failure.code;
  if (isUnreachable(failure)) return { key: "merchant.check.unreachable", params: { url: apiBaseUrl, reason: failure.message } };
  if (code === "SIGN_ERROR") return { key: "merchant.check.signRejected", params: { code } };
  if (code === "NO_AUTH" || code === "REQUEST_BLOCKED") return { key: "merchant.check.noPermission", params: { code, operation } };
  if (code === "RESPONSE_SIGNATURE_INVALID") {
    if (failure.message.includes("(bad-tag)")) return { key: "merchant.check.apiV3KeyWrong", params: {} };
    const reason = /\(([a-z-]+)\)/.exec(failure.message)?.[1] ?? "bad-signature";
    return { key: "merchant.check.answerNotVerified", params: { reason } };
  }
  return { key: "merchant.check.unexpected", params: { code, message: failure.message } };
}

function isUnreachable(failure: WechatPayFailure): boolean {
  return failure.code === "CONNECTION_FAILED" || failure.code === "TIMEOUT" || failure.code === "CONNECTION_LOST";
}
