import type { CallOptions, ClientContext } from "../context.js";
import { generateNonce } from "../crypto/nonce.js";
import { signV2, verifyV2Signature, type V2SignType } from "../crypto/v2-signature.js";
import {
  classifyRedPacketError,
  classifyTransportFailure,
  type CallEffect,
  type ErrorClassification,
  type RedPacketOperation,
} from "../error-codes.js";
import type { WechatPayResult } from "../result.js";
import { buildV2Xml, flatXmlFields, parseV2Xml, type XmlObject } from "../xml.js";
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

export interface V2Call<T> {
  operation: RedPacketOperation;
  effect: CallEffect;
  path: string;
  /** Request fields without `nonce_str` and `sign`; undefined values are left out. */
  fields: Record<string, string | undefined>;
  signType: V2SignType;
  /** Whether WeChat Pay signs this API's responses; sendredpack and gethbinfo responses are not signed. */
  responseSigned: boolean;
  rateLimit?: RateLimitedOperation;
  /** Turns a successful response (return_code and result_code SUCCESS) into the typed value. */
  parse: (fields: Record<string, string>, root: XmlObject) => T;
  options?: CallOptions;
}

/** Signs, sends over mutual TLS, parses and classifies one APIv2 XML call, retrying where that is safe. */
export function callV2<T>(context: ClientContext, call: V2Call<T>): Promise<WechatPayResult<T>> {
  const url = new URL(context.v2BaseUrl + call.path);

  // The nonce and sign are made once, so a retry sends byte-identical XML.
  const fields: Record<string, string | undefined> = { ...call.fields, nonce_str: generateNonce() };
  fields.sign = signV2(fields, context.config.apiV2Key, call.signType);
  const body = Buffer.from(buildV2Xml(fields), "utf8");

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
          method: "POST",
          headers: {
            "Content-Type": "text/xml; charset=utf-8",
            Accept: "text/xml",
            "User-Agent": context.userAgent,
            "Content-Length": String(body.length),
          },
          body,
          signal,
          agent: context.v2Agent,
        });
      } catch (error) {
        return transportFailure(error, call.effect, call.options?.signal);
      }
      return interpretV2Response(context, call, response);
    },
  });
}

function interpretV2Response<T>(context: ClientContext, call: V2Call<T>, response: HttpResponse): AttemptResult<T> {
  const httpStatus = response.status;
  if (httpStatus !== 200) {
    return attemptFailure(httpStatusClassification(call.effect, httpStatus), {
      code: `HTTP_${httpStatus}`,
      message: `WeChat Pay responded with HTTP ${httpStatus}`,
      httpStatus,
    });
  }

  let root: XmlObject;
  try {
    root = parseV2Xml(response.body.toString("utf8"));
  } catch (error) {
    return attemptFailure(classifyTransportFailure("RESPONSE_MALFORMED", call.effect, true), {
      code: "RESPONSE_MALFORMED",
      message: `response is not valid APIv2 XML: ${(error as Error).message}`,
      httpStatus,
    });
  }
  const fields = flatXmlFields(root);

  if (fields.return_code !== "SUCCESS" || fields.result_code !== "SUCCESS") {
    const code = fields.err_code ?? (fields.return_code !== "SUCCESS" ? "RETURN_CODE_FAIL" : "RESULT_CODE_FAIL");
    return attemptFailure(classifyRedPacketError(call.operation, fields.err_code), {
      code,
      message: fields.err_code_des ?? fields.return_msg ?? "WeChat Pay reported a failure without a message",
      httpStatus,
    });
  }

  if (call.responseSigned && !verifyV2Signature(fields, context.config.apiV2Key)) {
    return attemptFailure(classifyTransportFailure("RESPONSE_SIGNATURE_INVALID", call.effect, true), {
      code: "RESPONSE_SIGNATURE_INVALID",
      message: "the sign of the APIv2 response does not match",
      httpStatus,
    });
  }

  try {
    return { ok: true, value: call.parse(fields, root) };
  } catch (error) {
    return attemptFailure(classifyTransportFailure("RESPONSE_MALFORMED", call.effect, true), {
      code: "RESPONSE_MALFORMED",
      message: `response could not be read: ${(error as Error).message}`,
      httpStatus,
    });
  }
}

function httpStatusClassification(effect: CallEffect, httpStatus: number): ErrorClassification {
  if (httpStatus === 429) return { outcome: "retryable", autoRetry: true };
  if (effect === "read") return { outcome: "retryable", autoRetry: httpStatus >= 500 };

  // Whatever stopped the response, the packet may have been sent, so query gethbinfo with the same mch_billno.
  return { outcome: "unknown", autoRetry: false };
}

/** Parses a decimal integer field of an APIv2 response (amounts in fen, counts). */
export function integerField(fields: Record<string, string>, name: string): number {
  const text = fields[name];
  if (text === undefined || !/^-?\d+$/.test(text)) {
    throw new Error(`field ${name} is not an integer: ${String(text)}`);
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`field ${name} is out of range: ${text}`);
  return value;
}
