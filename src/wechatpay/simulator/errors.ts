/**
 * APIv3 error codes with the HTTP status and message WeChat Pay sends for them. The statuses follow
 * WeChat Pay's common error table and the per-API tables of the payment, voucher and transfer pages.
 */
export const V3_ERROR_CODES = {
  PARAM_ERROR: { status: 400, message: "参数错误" },
  INVALID_REQUEST: { status: 400, message: "无效请求" },
  APPID_MCHID_NOT_MATCH: { status: 400, message: "appid和mch_id不匹配" },
  MCH_NOT_EXISTS: { status: 400, message: "商户号不存在" },
  ORDER_CLOSED: { status: 400, message: "订单已关闭" },
  RESOURCE_ALREADY_EXISTS: { status: 400, message: "资源已存在" },
  SIGN_ERROR: { status: 401, message: "签名错误" },
  NO_AUTH: { status: 403, message: "商户无权限" },
  NOT_ENOUGH: { status: 403, message: "余额不足" },
  RULE_LIMIT: { status: 403, message: "用户已达最大领券次数" },
  USER_ACCOUNT_ABNORMAL: { status: 403, message: "用户非法" },
  REQUEST_BLOCKED: { status: 403, message: "请求受限" },
  OUT_TRADE_NO_USED: { status: 403, message: "商户订单号重复" },
  ORDERPAID: { status: 403, message: "订单已支付" },
  TRADE_ERROR: { status: 403, message: "交易错误" },
  ACCOUNT_ERROR: { status: 403, message: "账号异常" },
  USER_ERROR: { status: 403, message: "当前商户存在异常，暂时无法进行转账" },
  RESOURCE_NOT_EXISTS: { status: 404, message: "资源不存在" },
  ORDER_NOT_EXIST: { status: 404, message: "订单不存在" },
  NOT_FOUND: { status: 404, message: "记录不存在" },
  FREQUENCY_LIMITED: { status: 429, message: "频率超限" },
  FREQUENCY_LIMIT_EXCEED: { status: 429, message: "调用频率过高" },
  SYSTEM_ERROR: { status: 500, message: "系统错误" },
  BANK_ERROR: { status: 500, message: "银行系统异常" },
  SERVICE_UNAVAILABLE: { status: 503, message: "服务不可用" },
} as const;

export type V3ErrorCode = keyof typeof V3_ERROR_CODES;

export interface V3ErrorDetail {
  field?: string;
  value?: unknown;
  issue?: string;
  location?: string;
}

/** A business or validation failure that the APIv3 router turns into `{code, message, detail?}`. */
export class V3ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: V3ErrorCode,
    message?: string,
    readonly detail?: V3ErrorDetail,
  ) {
    super(message ?? V3_ERROR_CODES[code].message);
    this.status = V3_ERROR_CODES[code].status;
  }

  toBody(): { code: string; message: string; detail?: V3ErrorDetail } {
    return this.detail === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, detail: this.detail };
  }
}

export function isV3ErrorCode(code: string): code is V3ErrorCode {
  return Object.hasOwn(V3_ERROR_CODES, code);
}

/**
 * APIv2 red packet `err_code` values with WeChat Pay's `err_code_des`. Transport-level failures
 * (signature, certificate, XML) also set `return_code=FAIL`; business failures set only
 * `result_code=FAIL`.
 */
export const V2_ERROR_CODES = {
  SYSTEMERROR: { transport: false, description: "请求已受理，请稍后使用原单号查询发放结果" },
  PROCESSING: { transport: false, description: "请求已受理，请稍后使用原单号查询发放结果" },
  SEND_FAILED: { transport: false, description: "红包发放失败，请更换单号再重试" },
  FATAL_ERROR: { transport: false, description: "已存在该单号，但openid或金额与原请求不一致" },
  NOTENOUGH: { transport: false, description: "帐号余额不足，请到商户平台充值后再重试" },
  FREQ_LIMIT: { transport: false, description: "超过频率限制，请稍后再试" },
  SENDNUM_LIMIT: { transport: false, description: "该用户今日领取红包个数超过限制" },
  RCVDAMOUNT_LIMIT: { transport: false, description: "该用户今日领取红包总金额超过限制" },
  SENDAMOUNT_LIMIT: { transport: false, description: "您的商户号今日发放金额超过限制" },
  MONEY_LIMIT: { transport: false, description: "红包金额发放限制" },
  NO_AUTH: { transport: false, description: "发放失败，此请求可能存在风险，已被微信拦截" },
  OPENID_ERROR: { transport: false, description: "openid和appid不匹配" },
  ILLEGAL_APPID: { transport: false, description: "非法appid，请确认是否为公众号的appid" },
  MSGAPPID_ERROR: { transport: false, description: "触达消息给用户的appid有误" },
  ACCEPTMODE_ERROR: { transport: false, description: "服务商模式下无法校验服务商与子商户的关系" },
  API_METHOD_CLOSED: { transport: false, description: "你的商户号API发放方式已关闭，请联系管理员在商户平台开启" },
  PARAM_ERROR: { transport: false, description: "参数错误" },
  NOT_FOUND: { transport: false, description: "指定单号数据不存在" },
  PAYER_ACCOUNT_ABNORMAL: { transport: false, description: "商户号已被处罚" },
  CA_ERROR: { transport: true, description: "请求未携带证书，或证书与商户号不匹配" },
  SIGN_ERROR: { transport: true, description: "签名错误" },
  XML_ERROR: { transport: true, description: "输入xml参数格式错误" },
} as const;

export type V2ErrorCode = keyof typeof V2_ERROR_CODES;

export class V2ApiError extends Error {
  constructor(
    readonly code: V2ErrorCode,
    description?: string,
  ) {
    super(description ?? V2_ERROR_CODES[code].description);
  }
}

export function isV2ErrorCode(code: string): code is V2ErrorCode {
  return Object.hasOwn(V2_ERROR_CODES, code);
}

/** A misuse of the simulator's own test API (unknown merchant, wrong state for a customer action). */
export class SimulatorUsageError extends Error {
  constructor(
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
  }
}

/** A simulator server that could not listen, most often because another process uses the port. */
export class SimulatorListenError extends Error {
  constructor(
    readonly api: "APIv3" | "APIv2",
    readonly host: string,
    readonly port: number,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    const reason = code === "EADDRINUSE" ? "the port is already in use" : `${code ?? "error"}`;
    super(`the simulator's ${api} server cannot listen on ${host} port ${port}: ${reason}`, options);
    this.name = "SimulatorListenError";
  }
}
