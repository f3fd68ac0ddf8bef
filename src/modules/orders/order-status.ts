import type { OrderStatus, RefundStatus } from "./order.tables.js";

/** Every move an order may make; anything else is a bug or a stale message and is not applied. */
const orderTransitions: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ["PAID", "EXPIRED", "CANCELLED"],
  // A payment can still arrive after expiry (or after WeChat Pay seemed to reject the order).
  EXPIRED: ["PAID"],
  CANCELLED: ["PAID"],
  PAID: ["PARTIALLY_REFUNDED", "REFUNDED"],
  PARTIALLY_REFUNDED: ["PARTIALLY_REFUNDED", "REFUNDED"],
  REFUNDED: [],
};

export function canMoveOrder(from: OrderStatus, to: OrderStatus): boolean {
  return orderTransitions[from].includes(to);
}

/** True for the statuses of an order whose payment arrived. */
export function isPaidStatus(status: OrderStatus): boolean {
  switch (status) {
    case "PAID":
    case "PARTIALLY_REFUNDED":
    case "REFUNDED":
      return true;
    case "PENDING":
    case "EXPIRED":
    case "CANCELLED":
      return false;
    default: {
      const unreachable: never = status;
      throw new Error(`unknown order status ${String(unreachable)}`);
    }
  }
}

const refundTransitions: Record<RefundStatus, readonly RefundStatus[]> = {
  SUBMITTING: ["PROCESSING", "SUCCESS", "CLOSED", "ABNORMAL", "REJECTED"],
  PROCESSING: ["SUCCESS", "CLOSED", "ABNORMAL"],
  // WeChat Pay settles an abnormal refund once the merchant handles it on the merchant platform.
  ABNORMAL: ["SUCCESS", "CLOSED"],
  SUCCESS: [],
  CLOSED: [],
  REJECTED: [],
};

export function canMoveRefund(from: RefundStatus, to: RefundStatus): boolean {
  return refundTransitions[from].includes(to);
}

/** Refunds whose amount is spoken for: in flight, done, or stuck with WeChat Pay until the merchant acts. */
export function refundCountsAgainstOrder(status: RefundStatus): boolean {
  switch (status) {
    case "SUBMITTING":
    case "PROCESSING":
    case "SUCCESS":
    case "ABNORMAL":
      return true;
    case "CLOSED":
    case "REJECTED":
      return false;
    default: {
      const unreachable: never = status;
      throw new Error(`unknown refund status ${String(unreachable)}`);
    }
  }
}
