export { createWechatPayClient } from "./client.js";
export type { WechatPayClient, WechatPayClientOptions } from "./client.js";
export type { CallOptions } from "./context.js";
export type { WechatPayMerchantConfig } from "./merchant-config.js";
export type { WechatPayResult, WechatPaySuccess, WechatPayFailure, WechatPayOutcome } from "./result.js";
export { WechatPayProgrammingError, WechatPayVerificationError } from "./errors.js";
export type { WechatPayVerificationFailureReason } from "./errors.js";
export type { WechatPayLogger } from "./logger.js";

export {
  classifyV3Error,
  classifyRedPacketError,
  classifyTransportFailure,
  describeErrorCode,
} from "./error-codes.js";
export type { ApiFamily, CallEffect, ErrorClassification, RedPacketOperation, TransportFailureCode } from "./error-codes.js";

export {
  buildRequestSignatureMessage,
  buildAuthorizationHeader,
  buildResponseSignatureMessage,
  signSha256WithRsa,
  verifySha256WithRsa,
  V3_SIGNATURE_SCHEME,
} from "./crypto/rsa-signature.js";
export type { RequestSignatureInput, AuthorizationInput } from "./crypto/rsa-signature.js";
export { decryptAeadAes256Gcm, encryptAeadAes256Gcm } from "./crypto/aead.js";
export type { AeadResource } from "./crypto/aead.js";
export { buildV2SignString, signV2, verifyV2Signature } from "./crypto/v2-signature.js";
export type { V2SignType } from "./crypto/v2-signature.js";
export { buildPaySignMessage, signRequestPayment } from "./crypto/request-payment.js";
export type { RequestPaymentParams } from "./crypto/request-payment.js";
export { generateNonce } from "./crypto/nonce.js";
export { buildV2Xml, parseV2Xml } from "./xml.js";
export { assertFen, assertPositiveFen } from "./amount.js";

export { WechatPayKeyStore, PUBLIC_KEY_ID_PREFIX, normalizeCertificateSerial } from "./verification/key-store.js";
export {
  verifySignedMessage,
  PROBE_SIGNATURE_PREFIX,
  TIMESTAMP_TOLERANCE_SECONDS,
} from "./verification/signed-message.js";
export type { HeaderSource } from "./verification/headers.js";

export { TokenBucket, DEFAULT_RATE_LIMITS } from "./transport/rate-limiter.js";
export type { RateLimit, RateLimitedOperation } from "./transport/rate-limiter.js";
export { DEFAULT_RETRY_POLICY, backoffDelayMs } from "./transport/retry.js";
export type { RetryPolicy } from "./transport/retry.js";

export type {
  NotificationEnvelope,
  NotificationInput,
  WechatPayNotification,
  RefundNotificationResource,
  CouponUseNotificationResource,
  TransferBillNotificationResource,
} from "./notifications.js";
export type {
  JsapiOrderRequest,
  JsapiOrderResponse,
  Transaction,
  TradeState,
  PromotionDetail,
  GoodsDetail,
} from "./operations/payments.js";
export type { RefundRequest, Refund, RefundStatus } from "./operations/refunds.js";
export type {
  VoucherStock,
  StockStatus,
  QueryStockRequest,
  SendCouponRequest,
  SendCouponResponse,
  QueryCouponRequest,
  VoucherCoupon,
  CouponStatus,
  SetCouponCallbackRequest,
  SetCouponCallbackResponse,
} from "./operations/vouchers.js";
export type {
  SendRedPackRequest,
  SendRedPackResponse,
  QueryRedPackRequest,
  RedPackInfo,
  RedPackStatus,
  RedPackSceneId,
} from "./operations/red-packets.js";
export type {
  CreateTransferBillRequest,
  CreateTransferBillResponse,
  TransferBill,
  TransferBillState,
  CancelTransferBillResponse,
} from "./operations/transfers.js";
export type { PlatformCertificate } from "./operations/certificates.js";
