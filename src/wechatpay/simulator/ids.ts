import { randomBytes, randomInt } from "node:crypto";
import { formatV2Time, shanghaiDay } from "./clock.js";

/** Random decimal digits; the first is never 0 so ids keep their length when read as numbers. */
export function randomDigits(length: number): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < length) digits += String(randomInt(0, 10));
  return digits;
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

/** Random string of [0-9A-Za-z], for keys such as the APIv3 and APIv2 keys. */
export function randomAlphanumeric(length: number): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join("");
}

/** 28-character transaction id: `4200` + 6 digits + `yyyyMMdd` + 10 digits, the shape of real ids. */
export function newTransactionId(nowMs: number): string {
  return `4200${randomDigits(6)}${shanghaiDay(nowMs)}${randomDigits(10)}`;
}

/** `wx` + `ddHHmmss` style prefix + hex, 36 characters like a real prepay_id. */
export function newPrepayId(nowMs: number): string {
  const stamp = formatV2Time(nowMs).replace(/\D/g, "").slice(6, 14);
  return `wx${stamp}${randomHex(13).slice(0, 26)}`;
}

export function newRefundId(nowMs: number): string {
  return `5030${randomDigits(6)}${shanghaiDay(nowMs)}${randomDigits(10)}`;
}

export function newRequestId(): string {
  return `08${randomHex(16).toUpperCase()}`;
}

export function newOpenid(): string {
  return `o${randomAlphanumeric(27)}`;
}
