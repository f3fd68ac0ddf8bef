import { formatV2Time, shanghaiDay } from "./clock.js";
import { getMerchantOrThrow, type SimulatorContext } from "./context.js";
import { SimulatorUsageError, V2ApiError } from "./errors.js";
import { randomDigits } from "./ids.js";
import { keyOf, type MerchantRecord, type RedPacketRecord } from "./store.js";
import type { V2Element } from "./v2-xml.js";

/** An unclaimed red packet is refunded to the merchant 24 hours after it was sent. */
export const RED_PACKET_CLAIM_WINDOW_MS = 24 * 3_600_000;

/** Default amount range without a scene_id: 1 to 200 CNY. */
const DEFAULT_MIN_AMOUNT = 100;
const DEFAULT_MAX_AMOUNT = 20_000;

/**
 * NOTE: the bounds with a scene_id are not in WeChat Pay's public pages; 0.3 and 4999 CNY are the
 * values merchants report, and the merchant platform can change them.
 */
const SCENE_MIN_AMOUNT = 30;
const SCENE_MAX_AMOUNT = 499_900;

const SCENE_IDS = new Set(["PRODUCT_1", "PRODUCT_2", "PRODUCT_3", "PRODUCT_4", "PRODUCT_5", "PRODUCT_6", "PRODUCT_7", "PRODUCT_8"]);

/** Builds the echo fields of sendredpack responses, which success and business failures both carry. */
export function sendRedPackEcho(fields: Record<string, string>): V2Element {
  return {
    mch_billno: fields.mch_billno,
    mch_id: fields.mch_id,
    wxappid: fields.wxappid,
    re_openid: fields.re_openid,
    total_amount: fields.total_amount,
  };
}

/** POST /mmpaymkttransfers/sendredpack, after the certificate and sign were checked. */
export function sendRedPack(context: SimulatorContext, merchant: MerchantRecord, fields: Record<string, string>): V2Element {
  requireFields(fields, ["nonce_str", "mch_billno", "mch_id", "wxappid", "send_name", "re_openid", "total_amount", "total_num", "wishing", "client_ip", "act_name", "remark"]);
  checkLength(fields, { mch_billno: 28, wxappid: 32, send_name: 32, re_openid: 32, wishing: 128, client_ip: 15, act_name: 32, remark: 256, nonce_str: 32 });
  if (!/^[0-9A-Za-z]{1,28}$/.test(fields.mch_billno!)) throw new V2ApiError("PARAM_ERROR", "mch_billno只能为数字和字母");
  if (!/^[1-9]\d*$/.test(fields.total_amount!)) throw new V2ApiError("PARAM_ERROR", "total_amount须为正整数，单位为分");
  if (fields.total_num !== "1") throw new V2ApiError("PARAM_ERROR", "普通红包total_num必须为1");

  const amount = Number(fields.total_amount);
  const sceneId = fields.scene_id === "" ? undefined : fields.scene_id;
  if (sceneId !== undefined && !SCENE_IDS.has(sceneId)) throw new V2ApiError("PARAM_ERROR", "scene_id参数错误");

  // NOTE: WeChat Pay's error for a merchant without the cash red packet product is not documented;
  // NO_AUTH is the closest code in its table.
  if (!merchant.cashRedPacket) throw new V2ApiError("NO_AUTH", "商户未开通现金红包产品权限");
  if (!merchant.appids.includes(fields.wxappid!)) throw new V2ApiError("PARAM_ERROR", "wxappid与商户号的绑定关系不存在");
  const owner = context.store.openidAppids.get(fields.re_openid!);
  if (owner !== undefined && owner !== fields.wxappid) throw new V2ApiError("OPENID_ERROR");

  // mch_billno is re-entrant: the same billno is the same packet, so a retry never pays twice.
  const key = keyOf(merchant.mchid, fields.mch_billno!);
  const existing = context.store.redPackets.get(key);
  if (existing !== undefined) {
    if (existing.re_openid !== fields.re_openid || existing.total_amount !== amount || existing.wxappid !== fields.wxappid) {
      throw new V2ApiError("FATAL_ERROR");
    }
    return successResponse(existing);
  }

  checkAmount(merchant, amount, sceneId);

  const now = context.clock.now();
  const today = shanghaiDay(now);
  let receivedToday = 0;
  for (const packet of context.store.redPackets.values()) {
    if (packet.mch_id === merchant.mchid && packet.re_openid === fields.re_openid && packet.sendDay === today && packet.status !== "FAILED") receivedToday += 1;
  }
  if (receivedToday >= merchant.redPacketsPerUserPerDay) throw new V2ApiError("SENDNUM_LIMIT");
  if (merchant.balance < amount) throw new V2ApiError("NOTENOUGH");

  const packet: RedPacketRecord = {
    mch_billno: fields.mch_billno!,
    mch_id: merchant.mchid,
    wxappid: fields.wxappid!,
    re_openid: fields.re_openid!,
    total_amount: amount,
    total_num: 1,
    send_name: fields.send_name!,
    wishing: fields.wishing!,
    act_name: fields.act_name!,
    remark: fields.remark!,
    scene_id: sceneId,
    send_listid: `1000041701${today}${randomDigits(10)}`,
    detail_id: `1000041701${today}${randomDigits(10)}`,
    status: "SENT",
    sentAtMs: now,
    sendDay: today,
  };
  merchant.balance -= amount;
  context.store.redPackets.set(key, packet);
  context.store.created.redPackets += 1;
  context.logger.info({ mchid: merchant.mchid, mch_billno: packet.mch_billno, total_amount: amount }, "red packet sent");

  return successResponse(packet);
}

function checkAmount(merchant: MerchantRecord, amount: number, sceneId: string | undefined): void {
  if (sceneId === undefined) {
    if (amount < DEFAULT_MIN_AMOUNT || amount > DEFAULT_MAX_AMOUNT) {
      throw new V2ApiError("MONEY_LIMIT", "每个红包的平均金额必须在1.00元到200.00元之间，金额超出此范围时scene_id必填");
    }
    return;
  }

  if (amount < DEFAULT_MIN_AMOUNT && !merchant.smallRedPacket) {
    throw new V2ApiError("MONEY_LIMIT", "小于1元的红包需在商户平台开通小额红包权限");
  }
  if (amount < SCENE_MIN_AMOUNT || amount > SCENE_MAX_AMOUNT) throw new V2ApiError("MONEY_LIMIT", "红包金额超出该场景允许的范围");
}

function successResponse(packet: RedPacketRecord): V2Element {
  return {
    return_code: "SUCCESS",
    return_msg: "发放成功",
    result_code: "SUCCESS",
    err_code: "SUCCESS",
    err_code_des: "发放成功",
    mch_billno: packet.mch_billno,
    mch_id: packet.mch_id,
    wxappid: packet.wxappid,
    re_openid: packet.re_openid,
    total_amount: packet.total_amount,
    send_listid: packet.send_listid,
  };
}

/** POST /mmpaymkttransfers/gethbinfo */
export function getRedPackInfo(context: SimulatorContext, merchant: MerchantRecord, fields: Record<string, string>): V2Element {
  requireFields(fields, ["nonce_str", "mch_billno", "mch_id", "appid", "bill_type"]);
  if (fields.bill_type !== "MCHT") throw new V2ApiError("PARAM_ERROR", "bill_type参数错误，须为MCHT");

  expireDueRedPackets(context);
  const packet = context.store.redPackets.get(keyOf(merchant.mchid, fields.mch_billno!));
  if (packet === undefined || packet.wxappid !== fields.appid) throw new V2ApiError("NOT_FOUND");

  const response: V2Element = {
    return_code: "SUCCESS",
    return_msg: "OK",
    result_code: "SUCCESS",
    err_code: "SUCCESS",
    err_code_des: "OK",
    mch_billno: packet.mch_billno,
    mch_id: packet.mch_id,
    detail_id: packet.detail_id,
    status: packet.status,
    send_type: "API",
    hb_type: "NORMAL",
    total_num: packet.total_num,
    total_amount: packet.total_amount,
    send_time: formatV2Time(packet.sentAtMs),
    wishing: packet.wishing,
    remark: packet.remark,
    act_name: packet.act_name,
  };
  if (packet.receivedAtMs !== undefined) {
    response.hblist = { hbinfo: [{ openid: packet.re_openid, amount: packet.total_amount, rcv_time: formatV2Time(packet.receivedAtMs) }] };
  }
  if (packet.refundedAtMs !== undefined) {
    response.refund_time = formatV2Time(packet.refundedAtMs);
    response.refund_amount = packet.total_amount;
  }
  return response;
}

/** Opens the packet as the customer does in WeChat, before it expires. */
export function openRedPacket(context: SimulatorContext, mchid: string, mchBillno: string): V2Element {
  getMerchantOrThrow(context, mchid);
  expireDueRedPackets(context);

  const packet = context.store.redPackets.get(keyOf(mchid, mchBillno));
  if (packet === undefined) throw new SimulatorUsageError(`red packet ${mchBillno} of merchant ${mchid} does not exist`, 404);
  if (packet.status !== "SENT") throw new SimulatorUsageError(`red packet ${mchBillno} is ${packet.status} and cannot be opened`, 409);

  packet.status = "RECEIVED";
  packet.receivedAtMs = context.clock.now();
  context.logger.info({ mchid, mch_billno: mchBillno }, "red packet opened");
  return { mch_billno: packet.mch_billno, status: packet.status, rcv_time: formatV2Time(packet.receivedAtMs) };
}

/** Refunds packets left unopened for 24 hours to the merchant's balance. */
export function expireDueRedPackets(context: SimulatorContext): void {
  const now = context.clock.now();
  for (const packet of context.store.redPackets.values()) {
    if (packet.status !== "SENT" || now - packet.sentAtMs < RED_PACKET_CLAIM_WINDOW_MS) continue;

    // The refund passes through RFUND_ING on WeChat Pay's side; the simulator settles it at once.
    packet.status = "REFUND";
    packet.refundedAtMs = packet.sentAtMs + RED_PACKET_CLAIM_WINDOW_MS;
    const merchant = context.store.merchants.get(packet.mch_id);
    if (merchant !== undefined) merchant.balance += packet.total_amount;
    context.logger.info({ mchid: packet.mch_id, mch_billno: packet.mch_billno }, "unclaimed red packet refunded");
  }
}

function requireFields(fields: Record<string, string>, names: string[]): void {
  for (const name of names) {
    if (fields[name] === undefined || fields[name] === "") throw new V2ApiError("PARAM_ERROR", `${name}字段必填`);
  }
}

function checkLength(fields: Record<string, string>, limits: Record<string, number>): void {
  for (const [name, limit] of Object.entries(limits)) {
    const value = fields[name];
    if (value !== undefined && [...value].length > limit) throw new V2ApiError("PARAM_ERROR", `${name}字段长度不能超过${limit}`);
  }
}
