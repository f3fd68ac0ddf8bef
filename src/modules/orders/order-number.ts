import { randomInt } from "node:crypto";

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** yyyyMMddHHmmss in China Standard Time, which is how merchants read order numbers. */
function compactTime(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace(/\D/g, "");
}

function randomDigits(length: number): string {
  let digits = "";
  for (let index = 0; index < length; index += 1) digits += String(randomInt(10));
  return digits;
}

/**
 * A new out_trade_no: the time and 12 random digits, 26 characters. The random part makes a collision
 * within one second one in 10^12; the unique index on orders.order_no rejects one anyway.
 */
export function newOrderNo(at: Date): string {
  return `${compactTime(at)}${randomDigits(12)}`;
}

/** A new out_refund_no: R, the time and 12 random digits. */
export function newRefundNo(at: Date): string {
  return `R${compactTime(at)}${randomDigits(12)}`;
}

/** RFC 3339 in China Standard Time with whole seconds, the form WeChat Pay documents for time_expire. */
export function formatTimeExpire(at: Date): string {
  return `${new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}
