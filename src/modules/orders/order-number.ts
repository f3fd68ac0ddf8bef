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
 * Make a new out_trade_no of 26 digits: the time and 12 random digits. Two orders in the same second
 * collide with a chance of one in 10^12, and the unique index on orders.order_no rejects a collision.
 */
export function newOrderNo(at: Date): string {
  return `${compactTime(at)}${randomDigits(12)}`;
}

/** Make a new out_refund_no: R, the time and 12 random digits. */
export function newRefundNo(at: Date): string {
  return `R${compactTime(at)}${randomDigits(12)}`;
}

/** RFC 3339 in China Standard Time with whole seconds, the form WeChat Pay documents for time_expire. */
export function formatTimeExpire(at: Date): string {
  return `${new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}
