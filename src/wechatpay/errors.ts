/**
 * Thrown when the calling code breaks a contract of the client (a fractional amount, a malformed
 * configuration). Raised before anything is sent, so the caller can fix the code and call again.
 */
export class WechatPayProgrammingError extends Error {
  override readonly name = "WechatPayProgrammingError";
}

/** Why a signed WeChat Pay message (an API response or a notification) was rejected. */
export type WechatPayVerificationFailureReason =
  | "missing-header"
  | "probe"
  | "stale-timestamp"
  | "unknown-serial"
  | "bad-signature"
  | "bad-tag"
  | "malformed"
  | "merchant-mismatch";

/** A message that did not pass signature verification or resource decryption; never act on its content. */
export class WechatPayVerificationError extends Error {
  override readonly name = "WechatPayVerificationError";

  constructor(
    readonly reason: WechatPayVerificationFailureReason,
    message: string,
  ) {
    super(message);
  }
}
