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
 * Make one signed APIv3 call whose response must verify. Merchants on platform certificates download them,
 * which also proves the APIv3 key. Merchants on the WeChat Pay public key set the voucher callback URL to
 * this server's (registering a batch sets the same value), because error responses carry no signature and
 * only a successful response proves that the public key and its id are right.
 */
export async function checkApiV3(
  client: WechatPayClient,
  options: { usesPublicKey: boolean; apiBaseUrl: string; couponNotifyUrl: string },
): Promise<ConnectionCheck> {
  const result = options.usesPublicKey
    ? await client.setCouponCallback({ notify_url: options.couponNotifyUrl, switch: true })
    : await client.downloadCertificates();
  if (result.ok) return { name: "API_V3", ok: true, key: "merchant.check.apiV3Ok", params: {} };
  const operation = options.usesPublicKey ? "/v3/marketing/favor/callbacks" : "/v3/certificates";
  return { name: "API_V3", ok: false, ...explainV3Failure(result, options.apiBaseUrl, operation) };
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
    return { name: "API_V2", ok: false, key: "merchant.check.unreachable", params: { url: apiBaseUrl, reason: result.code } };
  }
  return { name: "API_V2", ok: false, key: "merchant.check.unexpected", params: { code, message: result.message } };
}

function explainV3Failure(failure: WechatPayFailure, apiBaseUrl: string, operation: string): Pick<ConnectionCheck, "key" | "params"> {
  const code = failure.code;
  if (isUnreachable(failure)) return { key: "merchant.check.unreachable", params: { url: apiBaseUrl, reason: failure.code } };
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
