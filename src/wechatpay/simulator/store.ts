import type { IssuedCertificate } from "./pki.js";

export type SigningMode = "certificate" | "publicKey";

export interface MerchantRecord {
  mchid: string;
  appids: string[];
  signingMode: SigningMode;
  /** Permission to send red packets under 1 CNY (with a scene_id). */
  smallRedPacket: boolean;
  /** False for merchants onboarded after cash red packets closed to new merchants (June 2026). */
  cashRedPacket: boolean;
  /** Operating account balance in fen; red packets and transfers are paid from it. */
  balance: number;
  apiV3Key: string;
  apiV2Key: string;
  certificate: IssuedCertificate;
  /** Red packets one user may receive from this merchant per day (the merchant platform setting). */
  redPacketsPerUserPerDay: number;
  favorCallback?: { notify_url: string; switch: boolean; update_time: string };
}

export interface PromotionDetail {
  coupon_id: string;
  name: string;
  scope: "GLOBAL" | "SINGLE";
  type: "CASH" | "NOCASH";
  amount: number;
  stock_id: string;
  wechatpay_contribute: number;
  merchant_contribute: number;
  other_contribute: number;
  currency: "CNY";
}

export type TradeState = "NOTPAY" | "SUCCESS" | "CLOSED" | "REFUND";

export interface OrderRecord {
  mchid: string;
  appid: string;
  out_trade_no: string;
  description: string;
  notify_url: string;
  attach?: string;
  /** Business-clock ms after which an unpaid order closes. */
  timeExpireMs?: number;
  total: number;
  openid: string;
  /** Canonical JSON of the create request, to tell a replay from a conflicting reuse of out_trade_no. */
  requestFingerprint: string;
  prepay_id: string;
  prepayIssuedAtMs: number;
  trade_state: TradeState;
  transaction_id?: string;
  successTimeMs?: number;
  payer_total?: number;
  promotion_detail?: PromotionDetail[];
  /** Fen refunded so far, and the part of it that went back to the payer rather than to a voucher. */
  refunded: number;
  payerRefunded: number;
  createdAtMs: number;
}

export type RefundStatus = "PROCESSING" | "SUCCESS" | "CLOSED" | "ABNORMAL";

export interface RefundRecord {
  mchid: string;
  out_refund_no: string;
  refund_id: string;
  out_trade_no: string;
  transaction_id: string;
  reason?: string;
  notify_url?: string;
  refund: number;
  total: number;
  payer_refund: number;
  discount_refund: number;
  payer_total: number;
  status: RefundStatus;
  requestFingerprint: string;
  createdAtMs: number;
  successTimeMs?: number;
}

export type StockStatus = "unactivated" | "audit" | "running" | "stoped" | "paused";

export interface StockRecord {
  stock_id: string;
  stock_creator_mchid: string;
  stock_name: string;
  description: string;
  status: StockStatus;
  coupon_amount: number;
  transaction_minimum: number;
  max_coupons: number;
  max_coupons_per_user: number;
  max_amount: number;
  /** Daily budget in fen, counted per China Standard Time day. */
  max_amount_by_day?: number;
  startMs: number;
  stopMs: number;
  availableBeginMs: number;
  availableEndMs: number;
  no_cash: boolean;
  createdAtMs: number;
  distributed_coupons: number;
  /** Fen issued per `yyyyMMdd` day. */
  issuedAmountByDay: Map<string, number>;
}

export type CouponStatus = "SENDED" | "USED" | "EXPIRED";

export interface CouponRecord {
  coupon_id: string;
  stock_id: string;
  stock_creator_mchid: string;
  sender_mchid: string;
  appid: string;
  openid: string;
  out_request_no: string;
  status: CouponStatus;
  createdAtMs: number;
  consume?: { consume_time: string; consume_mchid: string; transaction_id: string };
}

export interface CouponSendRecord {
  coupon_id: string;
  requestFingerprint: string;
}

export type RedPacketStatus = "SENDING" | "SENT" | "FAILED" | "RECEIVED" | "RFUND_ING" | "REFUND";

export interface RedPacketRecord {
  mch_billno: string;
  mch_id: string;
  wxappid: string;
  re_openid: string;
  total_amount: number;
  total_num: number;
  send_name: string;
  wishing: string;
  act_name: string;
  remark: string;
  scene_id?: string;
  send_listid: string;
  detail_id: string;
  status: RedPacketStatus;
  sentAtMs: number;
  receivedAtMs?: number;
  refundedAtMs?: number;
  sendDay: string;
}

export type TransferState =
  | "ACCEPTED"
  | "PROCESSING"
  | "WAIT_USER_CONFIRM"
  | "TRANSFERING"
  | "SUCCESS"
  | "FAIL"
  | "CANCELING"
  | "CANCELLED";

export interface TransferBillRecord {
  mchid: string;
  out_bill_no: string;
  transfer_bill_no: string;
  appid: string;
  openid: string;
  transfer_scene_id: string;
  transfer_amount: number;
  transfer_remark: string;
  notify_url?: string;
  user_name?: string;
  state: TransferState;
  fail_reason?: string;
  package_info: string;
  requestFingerprint: string;
  createdAtMs: number;
  updatedAtMs: number;
}

/** Objects created, never decremented: a test compares them before and after a retry. */
export interface CreationCounts {
  orders: number;
  refunds: number;
  coupons: number;
  redPackets: number;
  transfers: number;
  stocks: number;
}

/** All simulator state, keyed as WeChat Pay keys it (per merchant, then the merchant's own number). */
export class SimulatorStore {
  readonly merchants = new Map<string, MerchantRecord>();
  /** Key `${mchid}/${out_trade_no}`. */
  readonly orders = new Map<string, OrderRecord>();
  readonly refunds = new Map<string, RefundRecord>();
  readonly stocks = new Map<string, StockRecord>();
  readonly coupons = new Map<string, CouponRecord>();
  /** Key `${sender mchid}/${out_request_no}`. */
  readonly couponSends = new Map<string, CouponSendRecord>();
  /** Key `${mch_id}/${mch_billno}`. */
  readonly redPackets = new Map<string, RedPacketRecord>();
  /** Key `${mchid}/${out_bill_no}`. */
  readonly transfers = new Map<string, TransferBillRecord>();
  /** openid → appid, for openids the simulator handed out; other openids are accepted for any appid. */
  readonly openidAppids = new Map<string, string>();
  readonly created: CreationCounts = { orders: 0, refunds: 0, coupons: 0, redPackets: 0, transfers: 0, stocks: 0 };

  private sequence = 0;

  /** Increasing number for ids that must never collide (stock and coupon ids). */
  nextSequence(): number {
    this.sequence += 1;
    return this.sequence;
  }

  /** The last number `nextSequence` returned, 0 before the first. */
  lastSequence(): number {
    return this.sequence;
  }

  /** Continues the sequence of a saved state, so restored ids are never handed out again. */
  restoreSequence(last: number): void {
    if (!Number.isSafeInteger(last) || last < 0) throw new RangeError(`sequence must be a non-negative integer, got ${last}`);
    this.sequence = last;
  }
}

export function keyOf(mchid: string, id: string): string {
  return `${mchid}/${id}`;
}

/** JSON with object keys sorted, so two requests with the same content compare equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => compareCodeUnits(a, b));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Orders strings by UTF-16 code units, as `Array.prototype.sort` does by default. */
function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
