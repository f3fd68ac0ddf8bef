/** WeChat Pay's longest mch_billno, in characters. */
export const MAX_BILL_NO_LENGTH = 28;

const SERIAL_DIGITS = 10;
const SERIAL_MODULUS = 10 ** SERIAL_DIGITS;
const PREFIX_LENGTH = MAX_BILL_NO_LENGTH - 8 - SERIAL_DIGITS;

/**
 * The request number of a grant: merchant number, the China Standard Time date and 10 serial digits,
 * the form WeChat Pay documents for mch_billno (28 characters with today's 10-digit merchant numbers).
 * The same number also serves as out_bill_no for merchant transfers. It is derived only from stored
 * values of the grant, so it is the same however often it is computed.
 *
 * A merchant number longer than 10 digits is cut to its last 10, which keeps the number within 28
 * characters. Numbers stay unique, because the serial comes from a database sequence and WeChat Pay
 * scopes request numbers to one merchant.
 */
export function grantRequestNo(mchid: string, createdAt: Date, serial: number): string {
  if (!/^\d+$/.test(mchid)) throw new Error(`merchant number must be digits, got ${JSON.stringify(mchid)}`);
  if (!Number.isSafeInteger(serial) || serial < 0) throw new Error(`serial must be a non-negative integer, got ${serial}`);

  const prefix = mchid.length > PREFIX_LENGTH ? mchid.slice(-PREFIX_LENGTH) : mchid;
  const digits = String(serial % SERIAL_MODULUS).padStart(SERIAL_DIGITS, "0");
  return `${prefix}${chinaDate(createdAt)}${digits}`;
}

/** yyyyMMdd in China Standard Time (UTC+8, no daylight saving), the day WeChat Pay numbers bills by. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll("-", "");
}
