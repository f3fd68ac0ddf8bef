import type { SimulatorContext } from "./context.js";
import { getMerchantOrThrow } from "./context.js";
import { expireDueOrders } from "./payments.js";
import { expireDueRedPackets } from "./red-packets.js";
import type {
  CouponRecord,
  CreationCounts,
  OrderRecord,
  RedPacketRecord,
  RefundRecord,
  SigningMode,
  TransferBillRecord,
} from "./store.js";
import { expireDueTransfers } from "./transfers.js";
import { expireDueCoupons, stockResource } from "./vouchers.js";

export type OrderView = Omit<OrderRecord, "requestFingerprint">;
export type RefundView = Omit<RefundRecord, "requestFingerprint">;
export type TransferView = Omit<TransferBillRecord, "requestFingerprint">;
export type StockView = ReturnType<typeof stockResource>;

export interface MerchantView {
  mchid: string;
  appids: string[];
  signingMode: SigningMode;
  smallRedPacket: boolean;
  cashRedPacket: boolean;
  balance: number;
}

/** Read-only snapshots of simulator state for tests; every call returns copies. */
export interface SimulatorState {
  merchant(mchid: string): MerchantView;
  /** Operating account balance in fen. */
  balance(mchid: string): number;
  orders(mchid?: string): OrderView[];
  refunds(mchid?: string): RefundView[];
  stocks(mchid?: string): StockView[];
  coupons(filter?: { stock_id?: string; openid?: string; mchid?: string }): CouponRecord[];
  redPackets(mchid?: string): RedPacketRecord[];
  transfers(mchid?: string): TransferView[];
  /** Objects created since start; retries that only replay an earlier result do not count. */
  created(): CreationCounts;
}

export function createStateView(context: SimulatorContext): SimulatorState {
  const { store } = context;
  const refresh = (): void => {
    expireDueOrders(context);
    expireDueCoupons(context);
    expireDueRedPackets(context);
    expireDueTransfers(context);
  };
  const withoutFingerprint = <T extends { requestFingerprint: string }>(record: T): Omit<T, "requestFingerprint"> => {
    const { requestFingerprint: _fingerprint, ...rest } = record;
    return structuredClone(rest);
  };

  return {
    merchant(mchid) {
      const merchant = getMerchantOrThrow(context, mchid);
      return {
        mchid: merchant.mchid,
        appids: [...merchant.appids],
        signingMode: merchant.signingMode,
        smallRedPacket: merchant.smallRedPacket,
        cashRedPacket: merchant.cashRedPacket,
        balance: merchant.balance,
      };
    },
    balance(mchid) {
      refresh();
      return getMerchantOrThrow(context, mchid).balance;
    },
    orders(mchid) {
      refresh();
      return [...store.orders.values()].filter((order) => mchid === undefined || order.mchid === mchid).map(withoutFingerprint);
    },
    refunds(mchid) {
      return [...store.refunds.values()].filter((refund) => mchid === undefined || refund.mchid === mchid).map(withoutFingerprint);
    },
    stocks(mchid) {
      return [...store.stocks.values()].filter((stock) => mchid === undefined || stock.stock_creator_mchid === mchid).map(stockResource);
    },
    coupons(filter = {}) {
      refresh();
      return [...store.coupons.values()]
        .filter(
          (coupon) =>
            (filter.stock_id === undefined || coupon.stock_id === filter.stock_id) &&
            (filter.openid === undefined || coupon.openid === filter.openid) &&
            (filter.mchid === undefined || coupon.sender_mchid === filter.mchid),
        )
        .map((coupon) => structuredClone(coupon));
    },
    redPackets(mchid) {
      refresh();
      return [...store.redPackets.values()].filter((packet) => mchid === undefined || packet.mch_id === mchid).map((packet) => structuredClone(packet));
    },
    transfers(mchid) {
      refresh();
      return [...store.transfers.values()].filter((bill) => mchid === undefined || bill.mchid === mchid).map(withoutFingerprint);
    },
    created() {
      return { ...store.created };
    },
  };
}
