import type { CallOptions, ClientContext } from "../context.js";
import { buildAuthorizationHeader } from "../crypto/rsa-signature.js";
import { generateNonce } from "../crypto/nonce.js";
import { classifyTransportFailure, classifyV3Error, type ApiFamily, type CallEffect } from "../error-codes.js";
import { WechatPayVerificationError } from "../errors.js";
import { readHeader, type HeaderSource } from "../verification/headers.js";
import { verifySignedMessage } from "../verification/signed-message.js";
import {
  attemptFailure,
  attemptSignal,
  runWithRetries,
  transportFailure,
  waitForRateLimit,
  type AttemptResult,
} from "./attempts.js";
import { sendHttpRequest, type HttpResponse } from "./http-request.js";
import type { RateLimitedOperation } from "./rate-limiter.js";
import type { WechatPayResult } from "../result.js";

export interface V3Call<T> {
  /** Operation name for logs, such as "createJsapiOrder". */
  operation: string;
  family: ApiFamily;
  effect: CallEffect;
  method: "GET" | "POST";
  /** Path and query, already percent-encoded, exactly as they go on the wire. */
  pathAndQuery: string;
  /** JSON body; serialised once, so every attempt sends and signs the same bytes. */
  body?: unknown;
  rateLimit?: RateLimitedOperation;
  /** Turns a verified 2xx body (empty for 204) into the typed value; throws on a malformed body. */
  parse: (body: Buffer, status: number) => T;
  /** Replaces the usual response verification (the certificate download verifies with what it downloads). */
  verify?: (headers: HeaderSource, body: Buffer) => Promise<void>;
  options?: CallOptions;
}

/** Signs, sends, verifies and classifies one APIv3 call, retrying where that is safe. */
export function callV3<T>(context: ClientContext, call: V3Call<T>): Promise<WechatPayResult<T>> {
  const url = new URL(context.v3BaseUrl + call.pathAndQuery);
  const canonicalUrl = url.pathname + url.search;
  const bodyText = call.body === undefined ? "" : JSON.stringify(call.body);
  const bodyBytes = call.body === undefined ? undefined : Buffer.from(bodyText, "utf8");

  return runWithRetries<T>({
    context,
    operation: call.operation,
    options: call.options,
    attempt: async () => {
      const signal = attemptSignal(context, call.options);
      let response: HttpResponse;
      try {
        await waitForRateLimit(context, call.rateLimit, signal);
        response = await sendHttpRequest({
          url,
          method: call.method,
          headers: requestHeaders(context, call.method, canonicalUrl, bodyText, bodyBytes),
          body: bodyBytes,
          signal,
          agent: context.v3Agent,
        });
      } catch (error) {
        return transportFailure(error, call.effect, call.options?.signal);
      }
      return interpretResponse(context, call, response);
    },
  });
}

function requestHeaders(
  context: ClientContext,
  method: string,
  canonicalUrl: string,
  bodyText: string,
  bodyBytes: Buffer | undefined,
): Record<string, string> {
  const { config } = context;
  const headers: Record<string, string> = {
    Accept: "application/json",
    "Content-Type": "application/json",
    "User-Agent": context.userAgent,
    Authorization: buildAuthorizationHeader({
      mchid: config.mchid,
      merchantSerialNo: config.merchantSerialNo,
      privateKey: context.privateKey,
      method,
      canonicalUrl,
      timestamp: Math.floor(context.now() / 1000),
      nonce: generateNonce(),
      body: bodyText,
    }),
  };
  if (bodyBytes !== undefined) headers["Content-Length"] = String(bodyBytes.length);

  // In public-key mode this header makes WeChat Pay sign the response with the public key.
  if (config.wechatPayPublicKeyId !== undefined) headers["Wechatpay-Serial"] = config.wechatPayPublicKeyId;
  return headers;
}

async function interpretResponse<T>(
  context: ClientContext,
  call: V3Call<T>,
  response: HttpResponse,
): Promise<AttemptResult<T>> {
  const requestId = readHeader(response.headers, "Request-ID");
  const httpStatus = response.status;

  // Like the official SDKs, error bodies are classified without signature verification. A forged error
  // never becomes a success: at worst the caller gives up or queries, and TLS authenticates the server.
  if (httpStatus < 200 || httpStatus >= 300) {
    const { code, message } = parseErrorBody(response.body);
    return attemptFailure(classifyV3Error(call.family, call.effect, httpStatus, code), {
      code: code ?? `HTTP_${httpStatus}`,
      message: message ?? `WeChat Pay responded with HTTP ${httpStatus}`,
      httpStatus,
      requestId,
    });
  }

  try {
    if (call.verify !== undefined) {
      await call.verify(response.headers, response.body);
    } else {
      await verifySignedMessage({
        headers: response.headers,
        body: response.body,
        resolveKey: (serial) => context.keyStore.resolveKey(serial),
        nowMs: context.now(),
      });
    }
  } catch (error) {
    if (!(error instanceof WechatPayVerificationError)) throw error;
    return attemptFailure(classifyTransportFailure("RESPONSE_SIGNATURE_INVALID", call.effect, true), {
      code: "RESPONSE_SIGNATURE_INVALID",
      message: `response rejected (${error.reason}): ${error.message}`,
      httpStatus,
      requestId,
    });
  }

  let value: T;
  try {
    value = call.parse(response.body, httpStatus);
  } catch (error) {
    return attemptFailure(classifyTransportFailure("RESPONSE_MALFORMED", call.effect, true), {
      code: "RESPONSE_MALFORMED",
      message: `verified response could not be read: ${(error as Error).message}`,
      httpStatus,
      requestId,
    });
  }

  return requestId === undefined ? { ok: true, value } : { ok: true, value, requestId };
}

function parseErrorBody(body: Buffer): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { code?: unknown; message?: unknown };
    return {
      code: typeof parsed.code === "string" ? parsed.code : undefined,
      message: typeof parsed.message === "string" ? parsed.message : undefined,
    };
  } catch {
    return {};
  }
}

/** Parses a JSON object body; used by the operations' `parse` functions. */
export function parseJsonObject<T>(body: Buffer): T {
  const parsed = JSON.parse(body.toString("utf8")) as unknown;
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error("response body is not a JSON object");
  }
  return parsed as T;
}

/** Percent-encodes one path segment (an openid, an out_trade_no). */
export function pathSegment(value: string): string {
  return encodeURIComponent(value);
}
