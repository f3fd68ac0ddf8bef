import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import type { SimulatorContext } from "./context.js";
import { V2_ERROR_CODES, V2ApiError, type V2ErrorCode } from "./errors.js";
import type { V2Operation } from "./faults.js";
import { readRawBody } from "./http-body.js";
import { expireDueRedPackets, getRedPackInfo, sendRedPack, sendRedPackEcho } from "./red-packets.js";
import type { MerchantRecord } from "./store.js";
import { buildV2Xml, parseV2Xml, v2SignMatches, type V2Element } from "./v2-xml.js";

type V2Handler = (context: SimulatorContext, merchant: MerchantRecord, fields: Record<string, string>) => V2Element;

const V2_ROUTES: Record<string, { operation: V2Operation; handler: V2Handler; echo: (fields: Record<string, string>) => V2Element }> = {
  "/mmpaymkttransfers/sendredpack": { operation: "sendRedPack", handler: sendRedPack, echo: sendRedPackEcho },
  "/mmpaymkttransfers/gethbinfo": {
    operation: "getRedPackInfo",
    handler: getRedPackInfo,
    echo: (fields) => ({ mch_billno: fields.mch_billno, mch_id: fields.mch_id }),
  },
};

/**
 * Handles one APIv2 request: XML in and out over mutual TLS. The client certificate must chain to the
 * simulator CA and be the certificate of the merchant named by mch_id. These responses carry no sign.
 */
export async function handleV2Request(context: SimulatorContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? "/").split("?")[0]!;
  const route = V2_ROUTES[path];
  if (route === undefined || request.method !== "POST") {
    response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
    response.end("404 Not Found");
    return;
  }

  let fields: Record<string, string> | undefined;
  try {
    fields = parseV2Xml((await readRawBody(request)).toString("utf8"));
  } catch {
    fields = undefined;
  }
  if (fields === undefined) {
    sendXml(response, errorResponse(new V2ApiError("XML_ERROR"), {}));
    return;
  }
  const echo = route.echo(fields);

  const merchant = context.store.merchants.get(fields.mch_id ?? "");
  if (merchant === undefined) {
    sendXml(response, errorResponse(new V2ApiError("PARAM_ERROR", "mch_id参数错误，商户号不存在"), echo));
    return;
  }

  const certificateProblem = checkClientCertificate(request.socket as TLSSocket, merchant);
  if (certificateProblem !== undefined) {
    context.logger.info({ mchid: merchant.mchid, operation: route.operation, reason: certificateProblem }, "client certificate rejected");
    sendXml(response, errorResponse(new V2ApiError("CA_ERROR"), echo));
    return;
  }

  // These two APIs have no sign_type field and always use MD5; HMAC-SHA256 is accepted when declared.
  const signType = fields.sign_type === "HMAC-SHA256" ? "HMAC-SHA256" : "MD5";
  if (!v2SignMatches(fields, merchant.apiV2Key, signType)) {
    context.logger.info({ mchid: merchant.mchid, operation: route.operation }, "v2 sign rejected");
    sendXml(response, errorResponse(new V2ApiError("SIGN_ERROR"), echo));
    return;
  }

  const fault = context.faults.takeApiFault(merchant.mchid, route.operation);
  if (fault !== undefined) context.logger.info({ mchid: merchant.mchid, operation: route.operation, fault }, "fault applied");
  if (fault !== undefined && "delayMs" in fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));

  const run = (): V2Element => {
    expireDueRedPackets(context);
    try {
      return route.handler(context, merchant, fields);
    } catch (error) {
      if (error instanceof V2ApiError) return errorResponse(error, echo);
      context.logger.error({ mchid: merchant.mchid, operation: route.operation, err: error }, "operation failed");
      return errorResponse(new V2ApiError("SYSTEMERROR"), echo);
    }
  };

  if (fault !== undefined && "lostResponse" in fault) {
    run();
    request.socket.destroy();
    return;
  }
  if (fault !== undefined && "errorCode" in fault) {
    if (fault.processed === true) run();
    sendXml(response, errorResponse(new V2ApiError(fault.errorCode as V2ErrorCode, fault.message), echo));
    return;
  }

  sendXml(response, run());
}

/** Returns why the TLS client certificate is not acceptable for this merchant, or undefined if it is. */
function checkClientCertificate(socket: TLSSocket, merchant: MerchantRecord): string | undefined {
  const certificate = socket.getPeerCertificate();
  if (certificate === null || Object.keys(certificate).length === 0) return "no client certificate";
  if (!socket.authorized) return `client certificate not issued by the simulator CA: ${String(socket.authorizationError)}`;

  const serial = certificate.serialNumber.toUpperCase().replace(/^0+/, "");
  if (serial !== merchant.certificate.serialNo.replace(/^0+/, "")) return `client certificate ${serial} belongs to another merchant`;
  return undefined;
}

/**
 * Transport failures (certificate, sign, XML) set return_code FAIL; business failures keep
 * return_code SUCCESS and report through result_code and err_code.
 */
function errorResponse(error: V2ApiError, echo: V2Element): V2Element {
  const transport = V2_ERROR_CODES[error.code].transport;
  return {
    return_code: transport ? "FAIL" : "SUCCESS",
    return_msg: error.message,
    result_code: "FAIL",
    err_code: error.code,
    err_code_des: error.message,
    ...echo,
  };
}

function sendXml(response: ServerResponse, fields: V2Element): void {
  const body = buildV2Xml(fields);
  response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": String(Buffer.byteLength(body)) });
  response.end(body);
}
