import type { ClientContext } from "./context.js";
import { decryptAeadAes256Gcm } from "./crypto/aead.js";
import { WechatPayVerificationError } from "./errors.js";
import type { Transaction } from "./operations/payments.js";
import type { TransferBillState } from "./operations/transfers.js";
import type { HeaderSource } from "./verification/headers.js";
import { verifySignedMessage } from "./verification/signed-message.js";

/** The envelope WeChat Pay POSTs to a notify_url. */
export interface NotificationEnvelope {
  id: string;
  create_time: string;
  event_type: string;
  resource_type: string;
  summary?: string;
  resource: {
    original_type?: string;
    algorithm: string;
    ciphertext: string;
    associated_data?: string;
    nonce: string;
  };
}

export interface RefundNotificationResource {
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string;
  refund_status: "SUCCESS" | "CLOSED" | "ABNORMAL";
  success_time?: string;
  user_received_account?: string;
  amount: { total: number; refund: number; payer_total: number; payer_refund: number };
}

export interface CouponUseNotificationResource {
  stock_creator_mchid: string;
  stock_id: string;
  coupon_id: string;
  coupon_name?: string;
  status: string;
  description?: string;
  create_time?: string;
  coupon_type?: "NORMAL" | "CUT_TO";
  no_cash?: boolean;
  available_begin_time?: string;
  available_end_time?: string;
  singleitem?: boolean;
  singleitem_discount_off?: { single_price_max?: number };
  discount_to?: { cut_to_price?: number; max_price?: number };
  normal_coupon_information?: { coupon_amount?: number; transaction_minimum?: number };
  consume_information?: {
    consume_time?: string;
    consume_mchid?: string;
    transaction_id?: string;
    /** Fen; only for MULTIUSE batches. */
    consume_amount?: number;
    goods_detail?: Array<{ goods_id: string; quantity: number; price: number; discount_amount: number }>;
  };
  business_type?: string;
}

export interface TransferBillNotificationResource {
  /** The official example spells it `mchid`; the query API spells it `mch_id`. */
  mchid?: string;
  mch_id?: string;
  out_bill_no: string;
  transfer_bill_no: string;
  state: Extract<TransferBillState, "SUCCESS" | "FAIL" | "CANCELLED">;
  /** Fen. */
  transfer_amount: number;
  openid: string;
  fail_reason?: string;
  create_time: string;
  update_time: string;
}

interface NotificationBase {
  id: string;
  create_time: string;
  summary?: string;
}

/** A verified, decrypted notification, with `kind` naming the resource it carries. */
export type WechatPayNotification =
  | (NotificationBase & { kind: "transaction"; event_type: "TRANSACTION.SUCCESS"; resource: Transaction })
  | (NotificationBase & {
      kind: "refund";
      event_type: "REFUND.SUCCESS" | "REFUND.ABNORMAL" | "REFUND.CLOSED";
      resource: RefundNotificationResource;
    })
  | (NotificationBase & { kind: "coupon_use"; event_type: "COUPON.USE"; resource: CouponUseNotificationResource })
  | (NotificationBase & {
      kind: "transfer";
      event_type: "MCHTRANSFER.BILL.FINISHED";
      resource: TransferBillNotificationResource;
    })
  /** Verified and decrypted, but of an event type this client has no model for (COUPON.SEND, …). */
  | (NotificationBase & { kind: "other"; event_type: string; resource: unknown });

export interface NotificationInput {
  headers: HeaderSource;
  /** The request body exactly as received; parsing and re-serialising first breaks the signature. */
  rawBody: Buffer;
}

/**
 * Verifies a notification's signature over the raw body (serial selection, ±5-minute window, probe
 * rejection), decrypts its resource and returns it typed. Throws WechatPayVerificationError on any failure;
 * respond to WeChat Pay with a 4xx or 5xx then, and never act on the content.
 */
export async function parseNotification(context: ClientContext, input: NotificationInput): Promise<WechatPayNotification> {
  await verifySignedMessage({
    headers: input.headers,
    body: input.rawBody,
    resolveKey: (serial) => context.keyStore.resolveKey(serial),
    nowMs: context.now(),
  });

  const envelope = parseEnvelope(input.rawBody);
  const resource = decryptResource(context, envelope);
  const base: NotificationBase = { id: envelope.id, create_time: envelope.create_time };
  if (envelope.summary !== undefined) base.summary = envelope.summary;

  switch (envelope.event_type) {
    case "TRANSACTION.SUCCESS": {
      const transaction = resource as Transaction;
      assertOwnMerchant(context, transaction.mchid);
      return { ...base, kind: "transaction", event_type: "TRANSACTION.SUCCESS", resource: transaction };
    }

    case "REFUND.SUCCESS":
    case "REFUND.ABNORMAL":
    case "REFUND.CLOSED": {
      const refund = resource as RefundNotificationResource;
      assertOwnMerchant(context, refund.mchid);
      return { ...base, kind: "refund", event_type: envelope.event_type, resource: refund };
    }

    case "COUPON.USE":
      return { ...base, kind: "coupon_use", event_type: "COUPON.USE", resource: resource as CouponUseNotificationResource };

    case "MCHTRANSFER.BILL.FINISHED": {
      const bill = resource as TransferBillNotificationResource;
      assertOwnMerchant(context, bill.mchid ?? bill.mch_id);
      return { ...base, kind: "transfer", event_type: "MCHTRANSFER.BILL.FINISHED", resource: bill };
    }

    default:
      return { ...base, kind: "other", event_type: envelope.event_type, resource };
  }
}

function parseEnvelope(rawBody: Buffer): NotificationEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString("utf8"));
  } catch {
    throw new WechatPayVerificationError("malformed", "notification body is not JSON");
  }

  const envelope = parsed as Partial<NotificationEnvelope> | null;
  const resource = envelope?.resource;
  if (
    typeof envelope?.id !== "string" ||
    typeof envelope.event_type !== "string" ||
    typeof resource !== "object" ||
    resource === null ||
    typeof resource.ciphertext !== "string" ||
    typeof resource.nonce !== "string"
  ) {
    throw new WechatPayVerificationError("malformed", "notification lacks id, event_type or an encrypted resource");
  }
  if (resource.algorithm !== "AEAD_AES_256_GCM") {
    throw new WechatPayVerificationError("malformed", `unsupported resource algorithm ${String(resource.algorithm)}`);
  }
  return envelope as NotificationEnvelope;
}

function decryptResource(context: ClientContext, envelope: NotificationEnvelope): unknown {
  const plaintext = decryptAeadAes256Gcm(context.config.apiV3Key, envelope.resource);
  try {
    return JSON.parse(plaintext) as unknown;
  } catch {
    throw new WechatPayVerificationError("malformed", "decrypted notification resource is not JSON");
  }
}

function assertOwnMerchant(context: ClientContext, mchid: string | undefined): void {
  if (mchid !== undefined && mchid !== context.config.mchid) {
    throw new WechatPayVerificationError(
      "merchant-mismatch",
      `notification is for merchant ${mchid}, not ${context.config.mchid}`,
    );
  }
}
