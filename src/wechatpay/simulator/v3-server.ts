import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimulatorContext } from "./context.js";
import { V3ApiError } from "./errors.js";
import { signatureKindOf, type ApiFault } from "./faults.js";
import { BodyTooLargeError, readRawBody } from "./http-body.js";
import { newRequestId } from "./ids.js";
import { expireDueOrders } from "./payments.js";
import { selectResponseKey } from "./platform-keys.js";
import type { MerchantRecord } from "./store.js";
import { expireDueTransfers } from "./transfers.js";
import { matchRoute } from "./v3-routes.js";
import type { V3Result } from "./v3-types.js";
import {
  buildRequestMessage,
  MAX_CLOCK_SKEW_SECONDS,
  parseAuthorization,
  signResponse,
  verifySha256Rsa,
  type SignatureKind,
} from "./v3-signature.js";
import type { JsonObject } from "./validation.js";

/** First characters of the signed message echoed in SIGN_ERROR details, as WeChat Pay does for debugging. */
const TRUNCATED_MESSAGE_LENGTH = 100;

/**
 * Handles one APIv3 request the way WeChat Pay does: check the signature over the raw bytes, apply an
 * armed fault, run the API, and sign the response.
 */
export async function handleV3Request(context: SimulatorContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const requestId = newRequestId();
  const rawUrl = request.url ?? "/";
  const method = request.method ?? "GET";
  const requestSerial = headerValue(request, "wechatpay-serial");

  let rawBody: Buffer;
  try {
    rawBody = await readRawBody(request);
  } catch (error) {
    const status = error instanceof BodyTooLargeError ? 413 : 400;
    sendJson(context, response, { requestId, merchant: undefined, requestSerial, kind: "genuine" }, { status, body: { code: "PARAM_ERROR", message: "请求体读取失败" } });
    return;
  }
  const body = rawBody.toString("utf8");

  const queryStart = rawUrl.indexOf("?");
  const rawPath = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
  const route = matchRoute(method, rawPath);
  if (route === undefined) {
    sendJson(context, response, { requestId, merchant: undefined, requestSerial, kind: "genuine" }, {
      status: 404,
      body: { code: "NOT_FOUND", message: `请求的资源不存在：${method} ${rawPath}` },
    });
    return;
  }

  const authentication = authenticate(context, { method, rawUrl, body, authorization: headerValue(request, "authorization") });
  if ("error" in authentication) {
    context.logger.info({ requestId, operation: route.operation, reason: authentication.reason }, "request signature rejected");
    sendJson(context, response, { requestId, merchant: authentication.merchant, requestSerial, kind: "genuine" }, {
      status: authentication.error.status,
      body: authentication.error.toBody(),
    });
    return;
  }
  const { merchant } = authentication;

  let parsedBody: JsonObject | undefined;
  if (body !== "") {
    try {
      parsedBody = JSON.parse(body) as JsonObject;
    } catch {
      const error = new V3ApiError("PARAM_ERROR", "请求体不是合法的JSON", { location: "body" });
      sendJson(context, response, { requestId, merchant, requestSerial, kind: "genuine" }, { status: error.status, body: error.toBody() });
      return;
    }
  }

  const fault = context.faults.takeApiFault(merchant.mchid, route.operation, (candidate) => "concurrentRuleLimit" in candidate);
  if (fault !== undefined) context.logger.info({ requestId, mchid: merchant.mchid, operation: route.operation, fault }, "fault applied");
  if (fault !== undefined && "delayMs" in fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));

  const run = async (): Promise<V3Result> => {
    expireDueOrders(context);
    expireDueTransfers(context);
    try {
      return await route.handler(context, {
        merchant,
        params: route.params,
        query: new URLSearchParams(queryStart < 0 ? "" : rawUrl.slice(queryStart + 1)),
        body: parsedBody,
        wechatpaySerial: requestSerial,
      });
    } catch (error) {
      if (error instanceof V3ApiError) return { status: error.status, body: error.toBody() };
      context.logger.error({ requestId, operation: route.operation, err: error }, "operation failed");
      return { status: 500, body: { code: "SYSTEM_ERROR", message: "系统错误" } };
    }
  };

  const result = await applyFault(fault, run);
  if (result === "lost") {
    // The request took effect; the caller never learns it. Destroying the socket is what a timeout or
    // dropped connection looks like to an HTTP client.
    request.socket.destroy();
    return;
  }

  sendJson(context, response, { requestId, merchant, requestSerial, kind: signatureKindOf(fault) }, result);
}

async function applyFault(fault: ApiFault | undefined, run: () => Promise<V3Result>): Promise<V3Result | "lost"> {
  if (fault === undefined || !("errorCode" in fault || "lostResponse" in fault)) return run();

  if ("lostResponse" in fault) {
    await run();
    return "lost";
  }

  if (fault.processed === true) await run();
  const error = new V3ApiError(fault.errorCode as V3ApiError["code"], fault.message);
  return { status: error.status, body: error.toBody() };
}

type Authentication = { merchant: MerchantRecord } | { error: V3ApiError; reason: string; merchant: MerchantRecord | undefined };

function authenticate(
  context: SimulatorContext,
  input: { method: string; rawUrl: string; body: string; authorization: string | undefined },
): Authentication {
  const parsed = parseAuthorization(input.authorization);
  if (typeof parsed === "string") {
    return { error: new V3ApiError("SIGN_ERROR", "Http头Authorization值格式错误，请参考《微信支付API v3签名规则》"), reason: parsed, merchant: undefined };
  }

  const merchant = context.store.merchants.get(parsed.mchid);
  if (merchant === undefined) {
    return { error: new V3ApiError("MCH_NOT_EXISTS", "商户号不存在"), reason: `unknown mchid ${parsed.mchid}`, merchant: undefined };
  }

  if (parsed.serial_no.toUpperCase() !== merchant.certificate.serialNo) {
    return {
      error: new V3ApiError("SIGN_ERROR", "商户证书序列号有误。请使用签名私钥匹配的证书序列号"),
      reason: `serial_no ${parsed.serial_no} is not the merchant certificate serial`,
      merchant,
    };
  }

  const nowSeconds = Math.floor(context.clock.transportNow() / 1000);
  if (!/^\d{1,10}$/.test(parsed.timestamp) || Math.abs(nowSeconds - Number(parsed.timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    return {
      error: new V3ApiError("SIGN_ERROR", "Http头Authorization中的timestamp与发起请求的时间不得超过5分钟"),
      reason: `timestamp ${parsed.timestamp} is more than ${MAX_CLOCK_SKEW_SECONDS} s from ${nowSeconds}`,
      merchant,
    };
  }

  const message = buildRequestMessage({
    method: input.method,
    canonicalUrl: input.rawUrl,
    timestamp: parsed.timestamp,
    nonce: parsed.nonce_str,
    body: input.body,
  });
  if (!verifySha256Rsa(merchant.certificate.keyPair.publicKey, message, parsed.signature)) {
    return {
      error: new V3ApiError("SIGN_ERROR", "签名错误", {
        field: "signature",
        location: "authorization",
        issue: "sign not match",
        value: {
          method: input.method,
          url: input.rawUrl,
          sign_message_length: Buffer.byteLength(message),
          truncated_sign_message: message.slice(0, TRUNCATED_MESSAGE_LENGTH),
        },
      }),
      reason: "signature does not verify",
      merchant,
    };
  }

  return { merchant };
}

function sendJson(
  context: SimulatorContext,
  response: ServerResponse,
  meta: { requestId: string; merchant: MerchantRecord | undefined; requestSerial: string | undefined; kind: SignatureKind },
  result: V3Result,
): void {
  const body = result.body === undefined ? "" : JSON.stringify(result.body);
  const key = selectResponseKey(context.keys, meta.merchant, meta.requestSerial);
  const signed = signResponse({
    body,
    timestampSeconds: Math.floor(context.clock.transportNow() / 1000),
    serial: key.serial,
    privateKey: key.privateKey,
    forgeryKey: context.keys.forgery.privateKey,
    kind: meta.kind,
  });

  const headers: Record<string, string> = { ...signed, "Request-ID": meta.requestId, Server: "nginx" };
  if (body !== "") {
    headers["Content-Type"] = "application/json; charset=utf-8";
    headers["Content-Length"] = String(Buffer.byteLength(body));
  }
  response.writeHead(result.status, headers);
  response.end(body);
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
