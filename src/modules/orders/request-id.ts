const REQUEST_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Check a caller's idempotency key: 1 to 64 letters, digits or - _ . : */
export function isValidRequestId(value: string): boolean {
  return REQUEST_ID_PATTERN.test(value);
}
