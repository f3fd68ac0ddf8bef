/**
 * How far a failed call got:
 * - "definitive": WeChat Pay rejected the request and nothing happened; the same request will fail again.
 * - "retryable": nothing happened, and sending the same request number with the same body again is safe.
 * - "unknown": the request may have taken effect; query by the request number first, and only then retry
 *   with the same number and body.
 */
export type WechatPayOutcome = "definitive" | "retryable" | "unknown";

export interface WechatPaySuccess<T> {
  ok: true;
  value: T;
  /** WeChat Pay's `Request-ID` response header, to quote to WeChat Pay support. */
  requestId?: string;
}

export interface WechatPayFailure {
  ok: false;
  outcome: WechatPayOutcome;
  /** WeChat Pay's error code (`PARAM_ERROR`, `SYSTEMERROR`, …) or a client code such as `TIMEOUT`. */
  code: string;
  message: string;
  httpStatus?: number;
  requestId?: string;
}

export type WechatPayResult<T> = WechatPaySuccess<T> | WechatPayFailure;
