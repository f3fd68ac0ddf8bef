import { WechatPayProgrammingError } from "./errors.js";

/** Throws unless `value` is a non-negative safe integer number of fen. */
export function assertFen(value: unknown, field: string): asserts value is number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new WechatPayProgrammingError(
      `${field} must be a non-negative safe integer amount in fen, got ${String(value)}`,
    );
  }
}

/** Throws unless `value` is a positive safe integer number of fen. */
export function assertPositiveFen(value: unknown, field: string): asserts value is number {
  assertFen(value, field);
  if (value === 0) {
    throw new WechatPayProgrammingError(`${field} must be at least 1 fen, got 0`);
  }
}

/** Throws unless `value` is a positive safe integer count (red packet `total_num` and similar). */
export function assertPositiveCount(value: unknown, field: string): asserts value is number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new WechatPayProgrammingError(`${field} must be a positive safe integer, got ${String(value)}`);
  }
}
