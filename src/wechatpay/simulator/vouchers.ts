import { formatRfc3339, parseRfc3339, shanghaiDay } from "./clock.js";
import { getMerchantOrThrow, type SimulatorContext } from "./context.js";
import { SimulatorUsageError, V3ApiError } from "./errors.js";
import { randomDigits } from "./ids.js";
import {
  canonicalJson,
  keyOf,
  type CouponRecord,
  type OrderRecord,
  type PromotionDetail,
  type StockRecord,
  type StockStatus,
} from "./store.js";
import type { V3Request, V3Result } from "./v3-types.js";
import { requireBody, requireNotifyUrl, requireString, type JsonObject } from "./validation.js";

const DAY_MS = 86_400_000;

/** Batch settings as a brand enters them in the merchant platform; amounts in fen, times RFC 3339. */
export interface CreateStockInput {
  stock_name: string;
  coupon_amount: number;
  transaction_minimum: number;
  max_coupons: number;
  max_coupons_per_user: number;
  max_amount_by_day?: number;
  start_time?: string;
  stop_time?: string;
  available_begin_time?: string;
  available_end_time?: string;
  status?: StockStatus;
  description?: string;
  /** False (pre-funded, 预充值) by default. */
  no_cash?: boolean;
}

const STOCK_STATUSES: readonly StockStatus[] = ["unactivated", "audit", "running", "stoped", "paused"];

export function createStock(context: SimulatorContext, mchid: string, input: CreateStockInput): JsonObject {
  getMerchantOrThrow(context, mchid);

  const positive = ["coupon_amount", "transaction_minimum", "max_coupons", "max_coupons_per_user"] as const;
  for (const field of positive) {
    if (!Number.isSafeInteger(input[field]) || input[field] < 1) throw new SimulatorUsageError(`${field} must be a positive integer, got ${input[field]}`);
  }
  if (input.max_amount_by_day !== undefined && (!Number.isSafeInteger(input.max_amount_by_day) || input.max_amount_by_day < 1)) {
    throw new SimulatorUsageError(`max_amount_by_day must be a positive integer number of fen, got ${input.max_amount_by_day}`);
  }
  if (typeof input.stock_name !== "string" || input.stock_name === "" || [...input.stock_name].length > 20) {
    throw new SimulatorUsageError("stock_name must be 1 to 20 characters");
  }
  const status = input.status ?? "running";
  if (!STOCK_STATUSES.includes(status)) throw new SimulatorUsageError(`status must be one of ${STOCK_STATUSES.join(", ")}`);

  const now = context.clock.now();
  const startMs = parseTime(input.start_time, "start_time") ?? now;
  const stopMs = parseTime(input.stop_time, "stop_time") ?? startMs + 90 * DAY_MS;
  if (stopMs <= startMs) throw new SimulatorUsageError("stop_time must be after start_time");

  let stockId: string;
  do stockId = randomDigits(8);
  while (context.store.stocks.has(stockId));

  const stock: StockRecord = {
    stock_id: stockId,
    stock_creator_mchid: mchid,
    stock_name: input.stock_name,
    description: input.description ?? "",
    status,
    coupon_amount: input.coupon_amount,
    transaction_minimum: input.transaction_minimum,
    max_coupons: input.max_coupons,
    max_coupons_per_user: input.max_coupons_per_user,
    // WeChat Pay requires the total budget to equal face value times count.
    max_amount: input.coupon_amount * input.max_coupons,
    max_amount_by_day: input.max_amount_by_day,
    startMs,
    stopMs,
    availableBeginMs: parseTime(input.available_begin_time, "available_begin_time") ?? startMs,
    availableEndMs: parseTime(input.available_end_time, "available_end_time") ?? stopMs,
    no_cash: input.no_cash ?? false,
    createdAtMs: now,
    distributed_coupons: 0,
    issuedAmountByDay: new Map(),
  };
  context.store.stocks.set(stockId, stock);
  context.store.created.stocks += 1;
  context.logger.info({ mchid, stock_id: stockId }, "voucher stock created");

  return stockResource(stock);
}

/** Changes a batch's status, as the brand does with start, pause and restart in the merchant platform. */
export function updateStockStatus(context: SimulatorContext, mchid: string, stockId: string, status: StockStatus): JsonObject {
  const stock = context.store.stocks.get(stockId);
  if (stock === undefined || stock.stock_creator_mchid !== mchid) throw new SimulatorUsageError(`stock ${stockId} of merchant ${mchid} does not exist`, 404);
  if (!STOCK_STATUSES.includes(status)) throw new SimulatorUsageError(`status must be one of ${STOCK_STATUSES.join(", ")}`);

  stock.status = status;
  return stockResource(stock);
}

function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseRfc3339(value);
  if (ms === undefined) throw new SimulatorUsageError(`${field} must be RFC 3339 with an offset, got ${JSON.stringify(value)}`);
  return ms;
}

/** Sends to one openid that are being handled now, to model WeChat Pay's concurrency false positive. */
const sendsInFlight = new WeakMap<SimulatorContext, Map<string, number>>();

/** How long a send keeps its openid busy while a concurrentRuleLimit fault is armed, so that sends can overlap. */
const CONCURRENT_SEND_WINDOW_MS = 100;

/** POST /v3/marketing/favor/users/{openid}/coupons */
export async function sendCoupon(context: SimulatorContext, request: V3Request): Promise<V3Result> {
  const body = requireBody(request);
  const openid = request.params.openid!;
  const sender = request.merchant;

  const stockId = requireString(body, "stock_id", { maxLength: 20 });
  const outRequestNo = requireString(body, "out_request_no", {
    pattern: /^[0-9A-Za-z_|*-]{1,128}$/,
    describe: "须为1-128位数字、大小写字母或_-|*",
  });
  const appid = requireString(body, "appid", { maxLength: 128 });
  const creatorMchid = requireString(body, "stock_creator_mchid", { maxLength: 20 });
  if (openid === "" || [...openid].length > 128) throw new V3ApiError("PARAM_ERROR", "openid长度不合法", { field: "openid", value: openid, location: "path" });

  if (!sender.appids.includes(appid)) throw new V3ApiError("APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
  const owner = context.store.openidAppids.get(openid);
  if (owner !== undefined && owner !== appid) throw new V3ApiError("INVALID_REQUEST", "openid与appid不匹配");

  // Idempotent re-entry: the same out_request_no and content returns the voucher already issued, even
  // after the user reached the per-user cap or the batch ran out.
  const fingerprint = canonicalJson({ ...body, openid });
  const sendKey = keyOf(sender.mchid, outRequestNo);
  const replay = replayEarlierSend(context, sendKey, fingerprint);
  if (replay !== undefined) return replay;

  const stock = context.store.stocks.get(stockId);
  if (stock === undefined || stock.stock_creator_mchid !== creatorMchid) throw new V3ApiError("RESOURCE_NOT_EXISTS", "批次不存在");
  if (stock.stock_creator_mchid !== sender.mchid) throw new V3ApiError("REQUEST_BLOCKED", "商户无权发券");

  await holdForConcurrentSends(context, sender.mchid, openid);
  try {
    // A send with the same out_request_no may have finished while this one was held.
    const concurrentReplay = replayEarlierSend(context, sendKey, fingerprint);
    if (concurrentReplay !== undefined) return concurrentReplay;

    const couponId = issueCoupon(context, { stock, sender: sender.mchid, appid, openid, outRequestNo });
    context.store.couponSends.set(sendKey, { coupon_id: couponId, requestFingerprint: fingerprint });
    return { status: 200, body: { coupon_id: couponId } };
  } finally {
    releaseConcurrentSend(context, openid);
  }
}

function replayEarlierSend(context: SimulatorContext, sendKey: string, fingerprint: string): V3Result | undefined {
  const previous = context.store.couponSends.get(sendKey);
  if (previous === undefined) return undefined;

  // NOTE: WeChat Pay does not document its response to a reused out_request_no with other content on
  // this API; RESOURCE_ALREADY_EXISTS is the code its voucher error table gives for that case.
  if (previous.requestFingerprint !== fingerprint) throw new V3ApiError("RESOURCE_ALREADY_EXISTS", "商户单号重复，且与原请求内容不一致");
  return { status: 200, body: { coupon_id: previous.coupon_id } };
}

async function holdForConcurrentSends(context: SimulatorContext, mchid: string, openid: string): Promise<void> {
  let inFlight = sendsInFlight.get(context);
  if (inFlight === undefined) {
    inFlight = new Map();
    sendsInFlight.set(context, inFlight);
  }

  const armed = context.faults.hasApiFault(mchid, "sendCoupon", (fault) => "concurrentRuleLimit" in fault);
  const overlapping = (inFlight.get(openid) ?? 0) > 0;
  inFlight.set(openid, (inFlight.get(openid) ?? 0) + 1);

  if (armed && overlapping && context.faults.consumeApiFault(mchid, "sendCoupon", (fault) => "concurrentRuleLimit" in fault)) {
    releaseConcurrentSend(context, openid);
    throw new V3ApiError("RULE_LIMIT", "用户已达最大领券次数");
  }
  if (armed) await new Promise((resolve) => setTimeout(resolve, CONCURRENT_SEND_WINDOW_MS));
}

function releaseConcurrentSend(context: SimulatorContext, openid: string): void {
  const inFlight = sendsInFlight.get(context);
  const count = inFlight?.get(openid) ?? 0;
  if (count <= 1) inFlight?.delete(openid);
  else inFlight?.set(openid, count - 1);
}

function issueCoupon(
  context: SimulatorContext,
  input: { stock: StockRecord; sender: string; appid: string; openid: string; outRequestNo: string },
): string {
  const { stock } = input;
  const now = context.clock.now();

  if (stock.status !== "running") throw new V3ApiError("PARAM_ERROR", "非法的批次状态");
  if (now < stock.startMs || now > stock.stopMs) throw new V3ApiError("INVALID_REQUEST", "活动已结束或未激活");

  if (stock.distributed_coupons >= stock.max_coupons) throw new V3ApiError("NOT_ENOUGH", "批次预算不足");
  const day = shanghaiDay(now);
  const issuedToday = stock.issuedAmountByDay.get(day) ?? 0;
  if (stock.max_amount_by_day !== undefined && issuedToday + stock.coupon_amount > stock.max_amount_by_day) {
    throw new V3ApiError("NOT_ENOUGH", "批次当日预算不足");
  }

  let ownedByUser = 0;
  for (const coupon of context.store.coupons.values()) {
    if (coupon.stock_id === stock.stock_id && coupon.openid === input.openid) ownedByUser += 1;
  }
  if (ownedByUser >= stock.max_coupons_per_user) throw new V3ApiError("RULE_LIMIT", "用户已达最大领券次数");

  let couponId: string;
  do couponId = randomDigits(11);
  while (context.store.coupons.has(couponId));

  context.store.coupons.set(couponId, {
    coupon_id: couponId,
    stock_id: stock.stock_id,
    stock_creator_mchid: stock.stock_creator_mchid,
    sender_mchid: input.sender,
    appid: input.appid,
    openid: input.openid,
    out_request_no: input.outRequestNo,
    status: "SENDED",
    createdAtMs: now,
  });
  stock.distributed_coupons += 1;
  stock.issuedAmountByDay.set(day, issuedToday + stock.coupon_amount);
  context.store.created.coupons += 1;
  context.logger.info({ mchid: input.sender, stock_id: stock.stock_id, coupon_id: couponId }, "voucher issued");

  return couponId;
}

/** GET /v3/marketing/favor/stocks/{stock_id}?stock_creator_mchid= */
export function queryStock(context: SimulatorContext, request: V3Request): V3Result {
  const creator = requireQuery(request, "stock_creator_mchid");
  const stock = context.store.stocks.get(request.params.stock_id!);
  if (stock === undefined || stock.stock_creator_mchid !== creator || creator !== request.merchant.mchid) {
    throw new V3ApiError("RESOURCE_NOT_EXISTS", "批次不存在");
  }
  return { status: 200, body: stockResource(stock) };
}

export function stockResource(stock: StockRecord): JsonObject {
  const stockUseRule: JsonObject = {
    max_coupons: stock.max_coupons,
    max_amount: stock.max_amount,
    max_coupons_per_user: stock.max_coupons_per_user,
    fixed_normal_coupon: { coupon_amount: stock.coupon_amount, transaction_minimum: stock.transaction_minimum },
    coupon_type: "NORMAL",
    goods_tag: [],
    trade_type: [],
    combine_use: false,
  };
  if (stock.max_amount_by_day !== undefined) stockUseRule.max_amount_by_day = stock.max_amount_by_day;

  return {
    stock_id: stock.stock_id,
    stock_creator_mchid: stock.stock_creator_mchid,
    stock_name: stock.stock_name,
    status: stock.status,
    create_time: formatRfc3339(stock.createdAtMs),
    description: stock.description,
    stock_use_rule: stockUseRule,
    available_begin_time: formatRfc3339(stock.availableBeginMs),
    available_end_time: formatRfc3339(stock.availableEndMs),
    distributed_coupons: stock.distributed_coupons,
    no_cash: stock.no_cash,
    start_time: formatRfc3339(stock.startMs),
    stop_time: formatRfc3339(stock.stopMs),
    singleitem: false,
    stock_type: "NORMAL",
  };
}

/** GET /v3/marketing/favor/users/{openid}/coupons/{coupon_id}?appid= */
export function queryUserCoupon(context: SimulatorContext, request: V3Request): V3Result {
  const appid = requireQuery(request, "appid");
  expireDueCoupons(context);

  const coupon = context.store.coupons.get(request.params.coupon_id!);
  if (coupon === undefined || coupon.openid !== request.params.openid || coupon.appid !== appid) {
    throw new V3ApiError("RESOURCE_NOT_EXISTS", "券不存在");
  }
  return { status: 200, body: couponResource(context, coupon) };
}

/** GET /v3/marketing/favor/users/{openid}/coupons?appid=&stock_id=&status=&creator_mchid=&sender_mchid=&offset=&limit= */
export function listUserCoupons(context: SimulatorContext, request: V3Request): V3Result {
  const appid = requireQuery(request, "appid");
  const offset = Number(request.query.get("offset") ?? "0");
  const limit = Number(request.query.get("limit") ?? "20");
  if (!Number.isSafeInteger(offset) || offset < 0) throw new V3ApiError("PARAM_ERROR", "offset不合法", { field: "offset", location: "query" });
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 100) throw new V3ApiError("PARAM_ERROR", "limit须在1到100之间", { field: "limit", location: "query" });
  expireDueCoupons(context);

  const filters = {
    stock_id: request.query.get("stock_id"),
    status: request.query.get("status"),
    stock_creator_mchid: request.query.get("creator_mchid"),
    sender_mchid: request.query.get("sender_mchid"),
  };
  const matching = [...context.store.coupons.values()].filter(
    (coupon) =>
      coupon.openid === request.params.openid &&
      coupon.appid === appid &&
      Object.entries(filters).every(([field, value]) => value === null || coupon[field as keyof typeof filters] === value),
  );

  return {
    status: 200,
    body: {
      data: matching.slice(offset, offset + limit).map((coupon) => couponResource(context, coupon)),
      total_count: matching.length,
      limit,
      offset,
    },
  };
}

/** Builds the coupon object of queries and of decrypted COUPON.USE resources. */
export function couponResource(context: SimulatorContext, coupon: CouponRecord): JsonObject {
  const stock = context.store.stocks.get(coupon.stock_id)!;
  const resource: JsonObject = {
    stock_creator_mchid: coupon.stock_creator_mchid,
    stock_id: coupon.stock_id,
    coupon_id: coupon.coupon_id,
    coupon_name: stock.stock_name,
    status: coupon.status,
    description: stock.description,
    create_time: formatRfc3339(coupon.createdAtMs),
    coupon_type: "NORMAL",
    no_cash: stock.no_cash,
    available_begin_time: formatRfc3339(stock.availableBeginMs),
    available_end_time: formatRfc3339(stock.availableEndMs),
    singleitem: false,
    normal_coupon_information: { coupon_amount: stock.coupon_amount, transaction_minimum: stock.transaction_minimum },
  };

  if (coupon.consume !== undefined) resource.consume_information = { ...coupon.consume, goods_detail: [] };
  return resource;
}

/**
 * Checks that a voucher can pay this order, as WeChat's cashier does before offering it, and builds
 * the promotion_detail entry. The voucher's face value is funded by the merchant.
 */
export function findCouponForPayment(
  context: SimulatorContext,
  input: { order: OrderRecord; couponId: string; now: number },
): { coupon: CouponRecord; promotion: PromotionDetail } {
  expireDueCoupons(context);
  const coupon = context.store.coupons.get(input.couponId);
  if (coupon === undefined) throw new SimulatorUsageError(`coupon ${input.couponId} does not exist`, 404);

  const stock = context.store.stocks.get(coupon.stock_id)!;
  const problems: string[] = [];
  if (coupon.openid !== input.order.openid) problems.push(`it belongs to openid ${coupon.openid}`);
  if (coupon.status !== "SENDED") problems.push(`its status is ${coupon.status}`);
  if (stock.stock_creator_mchid !== input.order.mchid) problems.push(`it is not usable at merchant ${input.order.mchid}`);
  if (input.now < stock.availableBeginMs) problems.push("its usable window has not started");
  if (input.order.total < stock.transaction_minimum) problems.push(`the order total ${input.order.total} is below the threshold ${stock.transaction_minimum}`);
  if (stock.coupon_amount >= input.order.total) problems.push("its face value is not below the order total");
  if (problems.length > 0) throw new SimulatorUsageError(`coupon ${input.couponId} cannot pay order ${input.order.out_trade_no}: ${problems.join("; ")}`, 409);

  return {
    coupon,
    promotion: {
      coupon_id: coupon.coupon_id,
      name: stock.stock_name,
      scope: "GLOBAL",
      type: stock.no_cash ? "NOCASH" : "CASH",
      amount: stock.coupon_amount,
      stock_id: stock.stock_id,
      wechatpay_contribute: 0,
      merchant_contribute: stock.coupon_amount,
      other_contribute: 0,
      currency: "CNY",
    },
  };
}

/** Marks unused vouchers EXPIRED once their batch's usable window has ended. */
export function expireDueCoupons(context: SimulatorContext): void {
  const now = context.clock.now();
  for (const coupon of context.store.coupons.values()) {
    if (coupon.status !== "SENDED") continue;
    const stock = context.store.stocks.get(coupon.stock_id);
    if (stock !== undefined && now > stock.availableEndMs) coupon.status = "EXPIRED";
  }
}

/** POST /v3/marketing/favor/callbacks */
export function setFavorCallbacks(context: SimulatorContext, request: V3Request): V3Result {
  const body = requireBody(request);
  const mchid = requireString(body, "mchid", { maxLength: 20 });
  const notifyUrl = requireNotifyUrl(body)!;
  const enabled = body.switch;
  if (enabled !== undefined && typeof enabled !== "boolean") throw new V3ApiError("PARAM_ERROR", "switch须为布尔值", { field: "switch", value: enabled, location: "body" });
  if (mchid !== request.merchant.mchid) throw new V3ApiError("PARAM_ERROR", "mchid与发起请求的商户号不一致", { field: "mchid", value: mchid, location: "body" });

  const updateTime = formatRfc3339(context.clock.now());
  request.merchant.favorCallback = { notify_url: notifyUrl, switch: enabled ?? true, update_time: updateTime };
  return { status: 200, body: { update_time: updateTime, notify_url: notifyUrl } };
}

/** GET /v3/marketing/favor/callbacks?mchid= */
export function getFavorCallbacks(_context: SimulatorContext, request: V3Request): V3Result {
  const mchid = requireQuery(request, "mchid");
  if (mchid !== request.merchant.mchid) throw new V3ApiError("PARAM_ERROR", "mchid与发起请求的商户号不一致", { field: "mchid", value: mchid, location: "query" });

  const callback = request.merchant.favorCallback;
  // NOTE: WeChat Pay does not document the response for a merchant that never set a URL, so the simulator uses 404.
  if (callback === undefined) throw new V3ApiError("RESOURCE_NOT_EXISTS", "未设置消息通知地址");
  return { status: 200, body: { mchid, notify_url: callback.notify_url } };
}

function requireQuery(request: V3Request, name: string): string {
  const value = request.query.get(name);
  if (value === null || value === "") {
    throw new V3ApiError("PARAM_ERROR", `输入源“/query/${name}”映射到值字段“${name}”必填性规则校验失败，此字段为必填项`, {
      field: name,
      location: "query",
    });
  }
  return value;
}
