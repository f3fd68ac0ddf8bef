import { createPrivateKey, type KeyObject } from "node:crypto";
import http from "node:http";
import https from "node:https";

import type { CallOptions, ClientContext } from "./context.js";
import type { RequestPaymentParams } from "./crypto/request-payment.js";
import { WechatPayProgrammingError } from "./errors.js";
import { silentLogger, type WechatPayLogger } from "./logger.js";
import type { WechatPayMerchantConfig } from "./merchant-config.js";
import { parseNotification, type NotificationInput, type WechatPayNotification } from "./notifications.js";
import { downloadCertificates, type PlatformCertificate } from "./operations/certificates.js";
import {
  buildRequestPaymentParams,
  closeOrder,
  createJsapiOrder,
  queryOrderByOutTradeNo,
  type JsapiOrderRequest,
  type JsapiOrderResponse,
  type Transaction,
} from "./operations/payments.js";
import {
  queryRedPack,
  sendRedPack,
  type QueryRedPackRequest,
  type RedPackInfo,
  type SendRedPackRequest,
  type SendRedPackResponse,
} from "./operations/red-packets.js";
import { createRefund, queryRefund, type Refund, type RefundRequest } from "./operations/refunds.js";
import {
  cancelTransferBill,
  createTransferBill,
  queryTransferBillByOutBillNo,
  type CancelTransferBillResponse,
  type CreateTransferBillRequest,
  type CreateTransferBillResponse,
  type TransferBill,
} from "./operations/transfers.js";
import {
  queryCoupon,
  queryStock,
  sendCoupon,
  setCouponCallback,
  type QueryCouponRequest,
  type QueryStockRequest,
  type SendCouponRequest,
  type SendCouponResponse,
  type SetCouponCallbackRequest,
  type SetCouponCallbackResponse,
  type VoucherCoupon,
  type VoucherStock,
} from "./operations/vouchers.js";
import type { WechatPayResult } from "./result.js";
import {
  DEFAULT_RATE_LIMITS,
  merchantRateLimiter,
  type RateLimit,
  type RateLimitedOperation,
} from "./transport/rate-limiter.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./transport/retry.js";
import { WechatPayKeyStore } from "./verification/key-store.js";

export interface WechatPayClientOptions {
  logger?: WechatPayLogger;
  /** Time allowed for each attempt of a call, in milliseconds; 10 s by default. */
  timeoutMs?: number;
  /** Per-merchant request rates; unset groups keep WeChat Pay's documented limits. */
  rateLimits?: Partial<Record<RateLimitedOperation, RateLimit>>;
  /** Milliseconds since the epoch; signs timestamps and checks WeChat Pay's. */
  now?: () => number;
  retry?: Partial<RetryPolicy>;
  /** Minimum time between certificate downloads triggered by an unknown serial; 60 s by default. */
  certificateRefreshIntervalMs?: number;
  /** Source of jitter for retry delays, in [0, 1). */
  random?: () => number;
}

/**
 * One merchant's WeChat Pay client. Every call resolves to a WechatPayResult, also for WeChat Pay errors
 * and network failures. A broken contract (a fractional amount, a malformed mch_billno) throws a
 * WechatPayProgrammingError synchronously, before anything is sent.
 */
export interface WechatPayClient {
  readonly mchid: string;

  createJsapiOrder(request: JsapiOrderRequest, options?: CallOptions): Promise<WechatPayResult<JsapiOrderResponse>>;
  queryOrderByOutTradeNo(out_trade_no: string, options?: CallOptions): Promise<WechatPayResult<Transaction>>;
  closeOrder(out_trade_no: string, options?: CallOptions): Promise<WechatPayResult<void>>;
  buildRequestPaymentParams(appid: string, prepay_id: string): RequestPaymentParams;
  createRefund(request: RefundRequest, options?: CallOptions): Promise<WechatPayResult<Refund>>;
  queryRefund(out_refund_no: string, options?: CallOptions): Promise<WechatPayResult<Refund>>;

  queryStock(request: QueryStockRequest, options?: CallOptions): Promise<WechatPayResult<VoucherStock>>;
  sendCoupon(request: SendCouponRequest, options?: CallOptions): Promise<WechatPayResult<SendCouponResponse>>;
  queryCoupon(request: QueryCouponRequest, options?: CallOptions): Promise<WechatPayResult<VoucherCoupon>>;
  setCouponCallback(
    request: SetCouponCallbackRequest,
    options?: CallOptions,
  ): Promise<WechatPayResult<SetCouponCallbackResponse>>;

  sendRedPack(request: SendRedPackRequest, options?: CallOptions): Promise<WechatPayResult<SendRedPackResponse>>;
  queryRedPack(request: QueryRedPackRequest, options?: CallOptions): Promise<WechatPayResult<RedPackInfo>>;

  createTransferBill(
    request: CreateTransferBillRequest,
    options?: CallOptions,
  ): Promise<WechatPayResult<CreateTransferBillResponse>>;
  queryTransferBillByOutBillNo(out_bill_no: string, options?: CallOptions): Promise<WechatPayResult<TransferBill>>;
  cancelTransferBill(out_bill_no: string, options?: CallOptions): Promise<WechatPayResult<CancelTransferBillResponse>>;

  downloadCertificates(options?: CallOptions): Promise<WechatPayResult<PlatformCertificate[]>>;
  /** Verifies and decrypts a notification; throws WechatPayVerificationError when it must be rejected. */
  parseNotification(input: NotificationInput): Promise<WechatPayNotification>;

  /** Closes the kept-alive connections. */
  close(): void;
}

const USER_AGENT = `merchant-center-bff/0.1.0 (${process.platform}) Node/${process.version}`;

const LOOPBACK_HOSTNAMES = new Set(["localhost", "[::1]"]);

/** Checks a base URL: HTTPS anywhere, plain HTTP only on loopback (a local simulator). */
function normalizeBaseUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new WechatPayProgrammingError(`${field} is not a URL: ${JSON.stringify(value)}`);
  }

  const loopback = LOOPBACK_HOSTNAMES.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new WechatPayProgrammingError(`${field} must use https (plain http is allowed only on loopback): ${value}`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw new WechatPayProgrammingError(`${field} must not carry a query or fragment: ${value}`);
  }
  return value.replace(/\/+$/, "");
}

function loadPrivateKey(pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new WechatPayProgrammingError("merchantPrivateKeyPem is not a readable private key PEM");
  }
}

function validateConfig(config: WechatPayMerchantConfig): void {
  for (const field of ["mchid", "apiV2Key", "merchantSerialNo", "merchantCertificatePem"] as const) {
    if (typeof config[field] !== "string" || config[field] === "") {
      throw new WechatPayProgrammingError(`merchant config field ${field} is missing`);
    }
  }
  if (Buffer.byteLength(config.apiV3Key ?? "", "utf8") !== 32) {
    throw new WechatPayProgrammingError("merchant config field apiV3Key must be 32 bytes");
  }
}

function createAgent(baseUrl: string, tls: https.AgentOptions): http.Agent {
  return baseUrl.startsWith("https:")
    ? new https.Agent({ keepAlive: true, ...tls })
    : new http.Agent({ keepAlive: true });
}

/** Creates the client for one merchant; throws WechatPayProgrammingError for an unusable configuration. */
export function createWechatPayClient(
  config: WechatPayMerchantConfig,
  options: WechatPayClientOptions = {},
): WechatPayClient {
  validateConfig(config);
  const v3BaseUrl = normalizeBaseUrl(config.apiBaseUrl, "apiBaseUrl");
  const v2BaseUrl = normalizeBaseUrl(config.apiV2BaseUrl ?? config.apiBaseUrl, "apiV2BaseUrl");
  const privateKey = loadPrivateKey(config.merchantPrivateKeyPem);
  const now = options.now ?? Date.now;
  const baseLogger = options.logger ?? silentLogger;
  const logger = baseLogger.child?.({ module: "wechatpay", mchid: config.mchid }) ?? baseLogger;

  const keyStore = new WechatPayKeyStore({
    wechatPayPublicKeyId: config.wechatPayPublicKeyId,
    wechatPayPublicKeyPem: config.wechatPayPublicKeyPem,
    platformCertificatePems: config.platformCertificatePems,
    minRefreshIntervalMs: options.certificateRefreshIntervalMs ?? 60_000,
    now,
  });

  const rateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const ca = config.tlsCaPem === undefined ? {} : { ca: config.tlsCaPem };
  const context: ClientContext = {
    config,
    privateKey,
    keyStore,
    logger,
    now,
    random: options.random ?? Math.random,
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    rateLimiters: {
      voucherSend: merchantRateLimiter(config.mchid, "voucherSend", rateLimits.voucherSend),
      redPacketSend: merchantRateLimiter(config.mchid, "redPacketSend", rateLimits.redPacketSend),
      transferCreate: merchantRateLimiter(config.mchid, "transferCreate", rateLimits.transferCreate),
    },
    v3BaseUrl,
    v2BaseUrl,
    v3Agent: createAgent(v3BaseUrl, ca),
    // APIv2 money APIs need mutual TLS with the merchant API certificate.
    v2Agent: createAgent(v2BaseUrl, { ...ca, cert: config.merchantCertificatePem, key: config.merchantPrivateKeyPem }),
    userAgent: USER_AGENT,
  };

  keyStore.setRefresher(async () => {
    logger.info({}, "downloading platform certificates for an unknown serial");
    const result = await downloadCertificates(context);
    if (!result.ok) {
      logger.warn({ code: result.code, httpStatus: result.httpStatus, requestId: result.requestId }, "platform certificate download failed");
    }
  });

  return {
    mchid: config.mchid,
    createJsapiOrder: (request, callOptions) => createJsapiOrder(context, request, callOptions),
    queryOrderByOutTradeNo: (outTradeNo, callOptions) => queryOrderByOutTradeNo(context, outTradeNo, callOptions),
    closeOrder: (outTradeNo, callOptions) => closeOrder(context, outTradeNo, callOptions),
    buildRequestPaymentParams: (appid, prepayId) => buildRequestPaymentParams(context, appid, prepayId),
    createRefund: (request, callOptions) => createRefund(context, request, callOptions),
    queryRefund: (outRefundNo, callOptions) => queryRefund(context, outRefundNo, callOptions),
    queryStock: (request, callOptions) => queryStock(context, request, callOptions),
    sendCoupon: (request, callOptions) => sendCoupon(context, request, callOptions),
    queryCoupon: (request, callOptions) => queryCoupon(context, request, callOptions),
    setCouponCallback: (request, callOptions) => setCouponCallback(context, request, callOptions),
    sendRedPack: (request, callOptions) => sendRedPack(context, request, callOptions),
    queryRedPack: (request, callOptions) => queryRedPack(context, request, callOptions),
    createTransferBill: (request, callOptions) => createTransferBill(context, request, callOptions),
    queryTransferBillByOutBillNo: (outBillNo, callOptions) => queryTransferBillByOutBillNo(context, outBillNo, callOptions),
    cancelTransferBill: (outBillNo, callOptions) => cancelTransferBill(context, outBillNo, callOptions),
    downloadCertificates: (callOptions) => downloadCertificates(context, callOptions),
    parseNotification: (input) => parseNotification(context, input),
    close: () => {
      context.v3Agent.destroy();
      context.v2Agent.destroy();
    },
  };
}
