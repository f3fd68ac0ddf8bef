import { constants, privateDecrypt, randomBytes } from "node:crypto";
import { formatRfc3339 } from "./clock.js";
import { getMerchantOrThrow, type SimulatorContext } from "./context.js";
import { SimulatorUsageError, V3ApiError } from "./errors.js";
import { randomDigits } from "./ids.js";
import { canonicalJson, keyOf, type TransferBillRecord, type TransferState } from "./store.js";
import type { V3Request, V3Result } from "./v3-types.js";
import {
  asJsonObject,
  optionalString,
  requireBody,
  requireInteger,
  requireNotifyUrl,
  requireString,
  type JsonObject,
} from "./validation.js";

/** The payee has 24 hours to confirm; then WeChat Pay closes the bill and returns the money. */
export const TRANSFER_CONFIRM_WINDOW_MS = 24 * 3_600_000;

/** Default per-transfer range, 0.1 to 200 CNY in fen; the merchant platform can change the upper bound. */
const MIN_TRANSFER_AMOUNT = 10;
const MAX_TRANSFER_AMOUNT = 20_000;

/** A real name is mandatory from 2000 CNY per transfer. */
const USER_NAME_REQUIRED_FROM = 200_000;

interface SceneRule {
  reportInfoTypes: string[];
  perceptions: string[];
  defaultPerception: string;
}

/** Report items and payee labels WeChat Pay accepts per transfer scene; both are matched literally. */
const SCENE_RULES: Record<string, SceneRule> = {
  "1000": { reportInfoTypes: ["活动名称", "奖励说明"], perceptions: ["现金奖励", "活动奖励"], defaultPerception: "活动奖励" },
  "1005": { reportInfoTypes: ["岗位类型", "报酬说明"], perceptions: ["劳务报酬", "报销款", "企业补贴", "开工利是"], defaultPerception: "劳务报酬" },
  "1010": { reportInfoTypes: ["回收商品名称"], perceptions: ["二手回收货款"], defaultPerception: "二手回收货款" },
  "1011": { reportInfoTypes: ["赔付原因"], perceptions: ["退款", "商家赔付"], defaultPerception: "退款" },
};

const CANCELLABLE_STATES: readonly TransferState[] = ["ACCEPTED", "PROCESSING", "WAIT_USER_CONFIRM", "TRANSFERING"];

/** POST /v3/fund-app/mch-transfer/transfer-bills */
export function createTransferBill(context: SimulatorContext, request: V3Request): V3Result {
  const body = requireBody(request);
  const { merchant } = request;

  const appid = requireString(body, "appid", { maxLength: 32 });
  const outBillNo = requireString(body, "out_bill_no", { pattern: /^[0-9A-Za-z]{1,32}$/, describe: "须为1-32位数字或大小写字母" });
  const sceneId = requireString(body, "transfer_scene_id", { maxLength: 36 });
  const openid = requireString(body, "openid", { maxLength: 64 });
  const amount = requireInteger(body, "transfer_amount", "transfer_amount", { min: 1 });
  const remark = requireString(body, "transfer_remark", { maxLength: 32 });
  const notifyUrl = requireNotifyUrl(body, "notify_url", false);
  const perception = optionalString(body, "user_recv_perception", { maxLength: 32 });
  const encryptedUserName = optionalString(body, "user_name", { maxLength: 1024 });

  if (!merchant.appids.includes(appid)) throw new V3ApiError("APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
  const owner = context.store.openidAppids.get(openid);
  if (owner !== undefined && owner !== appid) throw new V3ApiError("INVALID_REQUEST", "Openid格式错误或者不属于商家公众账号");

  const scene = SCENE_RULES[sceneId];
  if (scene === undefined) throw new V3ApiError("INVALID_REQUEST", "你尚未获取该转账场景，请确认转账场景ID是否正确");
  checkReportInfos(body, scene);
  if (perception !== undefined && !scene.perceptions.includes(perception)) {
    throw new V3ApiError("INVALID_REQUEST", "暂不支持展示当前传入的用户收款感知");
  }
  if (amount < MIN_TRANSFER_AMOUNT || amount > MAX_TRANSFER_AMOUNT) {
    throw new V3ApiError("INVALID_REQUEST", "超过单笔转账上下限,核实产品设置是否准确");
  }

  const userName = encryptedUserName === undefined ? undefined : decryptUserName(context, request, encryptedUserName);
  if (amount >= USER_NAME_REQUIRED_FROM && userName === undefined) {
    throw new V3ApiError("PARAM_ERROR", "转账金额大于等于2000元时，收款用户姓名必填", { field: "user_name", location: "body" });
  }

  // The encrypted name differs on every encryption, so idempotency compares the plain name instead.
  const fingerprint = canonicalJson({ ...body, user_name: userName });
  const key = keyOf(merchant.mchid, outBillNo);
  const existing = context.store.transfers.get(key);
  if (existing !== undefined) {
    if (existing.requestFingerprint !== fingerprint) throw new V3ApiError("INVALID_REQUEST", "单号已存在但信息不一致,请查单后比较确认");
    return { status: 200, body: createResponseBody(existing) };
  }

  if (merchant.balance < amount) {
    throw new V3ApiError("NOT_ENOUGH", "商户运营账户资金不足,充值后可以原单号发起重试,请勿更换商户单号");
  }

  const now = context.clock.now();
  const bill: TransferBillRecord = {
    mchid: merchant.mchid,
    out_bill_no: outBillNo,
    transfer_bill_no: `1330${randomDigits(30)}`,
    appid,
    openid,
    transfer_scene_id: sceneId,
    transfer_amount: amount,
    transfer_remark: remark,
    notify_url: notifyUrl,
    user_name: userName,
    state: "WAIT_USER_CONFIRM",
    package_info: randomBytes(111).toString("base64"),
    requestFingerprint: fingerprint,
    createdAtMs: now,
    updatedAtMs: now,
  };
  merchant.balance -= amount;
  context.store.transfers.set(key, bill);
  context.store.created.transfers += 1;
  context.logger.info({ mchid: merchant.mchid, out_bill_no: outBillNo, transfer_amount: amount }, "transfer bill created");

  return { status: 200, body: createResponseBody(bill) };
}

function createResponseBody(bill: TransferBillRecord): JsonObject {
  const body: JsonObject = {
    out_bill_no: bill.out_bill_no,
    transfer_bill_no: bill.transfer_bill_no,
    create_time: formatRfc3339(bill.createdAtMs),
    state: bill.state,
  };
  if (bill.fail_reason !== undefined) body.fail_reason = bill.fail_reason;
  if (bill.state === "WAIT_USER_CONFIRM") body.package_info = bill.package_info;
  return body;
}

function checkReportInfos(body: JsonObject, scene: SceneRule): void {
  const infos = body.transfer_scene_report_infos;
  const invalid = (): V3ApiError =>
    new V3ApiError("PARAM_ERROR", "需传入转账场景报备信息,请检查", { field: "transfer_scene_report_infos", location: "body" });
  if (!Array.isArray(infos)) throw invalid();

  const types: string[] = [];
  for (const item of infos) {
    const info = asJsonObject(item, "transfer_scene_report_infos");
    const type = requireString(info, "info_type", { maxLength: 15 });
    requireString(info, "info_content", { maxLength: 32 });
    types.push(type);
  }

  // The scene's items must each appear exactly once, with no other items.
  const sorted = [...types].sort();
  const expected = [...scene.reportInfoTypes].sort();
  if (sorted.length !== expected.length || sorted.some((type, index) => type !== expected[index])) throw invalid();
}

/**
 * Decrypts `user_name` (RSA-OAEP with SHA-1, the padding the official SDKs use) with the key that the
 * request's Wechatpay-Serial header names.
 */
function decryptUserName(context: SimulatorContext, request: V3Request, ciphertext: string): string {
  const serial = request.wechatpaySerial;
  if (serial === undefined) throw new V3ApiError("PARAM_ERROR", "请求包含加密字段时，Wechatpay-Serial必填", { field: "Wechatpay-Serial", location: "header" });

  const { keys } = context;
  const privateKey =
    serial === keys.publicKeyId
      ? keys.publicKey.privateKey
      : serial === keys.platformCertificate.serialNo
        ? keys.platformCertificate.keyPair.privateKey
        : undefined;
  if (privateKey === undefined) throw new V3ApiError("PARAM_ERROR", "Wechatpay-Serial对应的证书或公钥不存在", { field: "Wechatpay-Serial", value: serial, location: "header" });

  try {
    return privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, Buffer.from(ciphertext, "base64")).toString("utf8");
  } catch {
    throw new V3ApiError("PARAM_ERROR", "user_name解密失败，请检查加密使用的公钥与Wechatpay-Serial是否一致", { field: "user_name", location: "body" });
  }
}

/** GET …/transfer-bills/out-bill-no/{out_bill_no} and …/transfer-bills/transfer-bill-no/{transfer_bill_no} */
export function queryTransferBill(context: SimulatorContext, request: V3Request): V3Result {
  expireDueTransfers(context);
  const bill = findBill(context, request);
  if (bill === undefined) throw new V3ApiError("NOT_FOUND", "记录不存在");
  return { status: 200, body: queryResponseBody(bill) };
}

function findBill(context: SimulatorContext, request: V3Request): TransferBillRecord | undefined {
  const mchid = request.merchant.mchid;
  if (request.params.out_bill_no !== undefined) return context.store.transfers.get(keyOf(mchid, request.params.out_bill_no));

  for (const bill of context.store.transfers.values()) {
    if (bill.mchid === mchid && bill.transfer_bill_no === request.params.transfer_bill_no) return bill;
  }
  return undefined;
}

function queryResponseBody(bill: TransferBillRecord): JsonObject {
  const body: JsonObject = {
    mch_id: bill.mchid,
    out_bill_no: bill.out_bill_no,
    transfer_bill_no: bill.transfer_bill_no,
    appid: bill.appid,
    state: bill.state,
    transfer_amount: bill.transfer_amount,
    transfer_remark: bill.transfer_remark,
    openid: bill.openid,
    create_time: formatRfc3339(bill.createdAtMs),
    update_time: formatRfc3339(bill.updatedAtMs),
  };
  if (bill.fail_reason !== undefined) body.fail_reason = bill.fail_reason;
  return body;
}

/** POST …/transfer-bills/out-bill-no/{out_bill_no}/cancel; responds CANCELING and finishes a moment later. */
export function cancelTransferBill(context: SimulatorContext, request: V3Request): V3Result {
  expireDueTransfers(context);
  const bill = context.store.transfers.get(keyOf(request.merchant.mchid, request.params.out_bill_no!));
  if (bill === undefined) throw new V3ApiError("NOT_FOUND", "记录不存在");

  if (bill.state !== "CANCELING" && !CANCELLABLE_STATES.includes(bill.state)) {
    throw new V3ApiError("INVALID_REQUEST", `转账单据状态为${bill.state}，不允许撤销`);
  }

  if (bill.state !== "CANCELING") {
    bill.state = "CANCELING";
    bill.updatedAtMs = context.clock.now();
    context.logger.info({ mchid: bill.mchid, out_bill_no: bill.out_bill_no }, "transfer cancel accepted");
    setImmediate(() => finishTransfer(context, bill, "CANCELLED"));
  }

  return {
    status: 200,
    body: {
      out_bill_no: bill.out_bill_no,
      transfer_bill_no: bill.transfer_bill_no,
      state: bill.state,
      update_time: formatRfc3339(bill.updatedAtMs),
    },
  };
}

/** Confirms the bill as the payee does on the receipt page, so the money reaches their balance. */
export function confirmTransfer(context: SimulatorContext, mchid: string, outBillNo: string): JsonObject {
  const bill = waitingBillOrThrow(context, mchid, outBillNo);
  finishTransfer(context, bill, "SUCCESS");
  return queryResponseBody(bill);
}

/**
 * Fails a bill at confirmation, as WeChat Pay does when the payee's account cannot receive it. WeChat
 * has no decline button: a payee who just closes the page leaves the bill waiting until it expires.
 */
export function rejectTransfer(context: SimulatorContext, mchid: string, outBillNo: string, failReason = "PAYEE_ACCOUNT_ABNORMAL"): JsonObject {
  const bill = waitingBillOrThrow(context, mchid, outBillNo);
  finishTransfer(context, bill, "FAIL", failReason);
  return queryResponseBody(bill);
}

function waitingBillOrThrow(context: SimulatorContext, mchid: string, outBillNo: string): TransferBillRecord {
  getMerchantOrThrow(context, mchid);
  expireDueTransfers(context);

  const bill = context.store.transfers.get(keyOf(mchid, outBillNo));
  if (bill === undefined) throw new SimulatorUsageError(`transfer ${outBillNo} of merchant ${mchid} does not exist`, 404);
  if (bill.state !== "WAIT_USER_CONFIRM") throw new SimulatorUsageError(`transfer ${outBillNo} is ${bill.state}, not WAIT_USER_CONFIRM`, 409);
  return bill;
}

/** Moves a bill to a final state, returns the money unless it was paid, and sends the callback. */
function finishTransfer(context: SimulatorContext, bill: TransferBillRecord, state: "SUCCESS" | "FAIL" | "CANCELLED", failReason?: string): void {
  if (bill.state === "SUCCESS" || bill.state === "FAIL" || bill.state === "CANCELLED") return;

  bill.state = state;
  bill.fail_reason = failReason;
  bill.updatedAtMs = context.clock.now();
  if (state !== "SUCCESS") {
    const merchant = context.store.merchants.get(bill.mchid);
    if (merchant !== undefined) merchant.balance += bill.transfer_amount;
  }
  context.logger.info({ mchid: bill.mchid, out_bill_no: bill.out_bill_no, state, fail_reason: failReason }, "transfer bill finished");

  if (bill.notify_url === undefined) return;
  const resource: JsonObject = {
    out_bill_no: bill.out_bill_no,
    transfer_bill_no: bill.transfer_bill_no,
    state: bill.state,
    mchid: bill.mchid,
    transfer_amount: bill.transfer_amount,
    openid: bill.openid,
    create_time: formatRfc3339(bill.createdAtMs),
    update_time: formatRfc3339(bill.updatedAtMs),
  };
  if (bill.fail_reason !== undefined) resource.fail_reason = bill.fail_reason;

  context.notifications.enqueue({
    mchid: bill.mchid,
    url: bill.notify_url,
    eventType: "MCHTRANSFER.BILL.FINISHED",
    summary: "商家转账单据终态通知",
    originalType: "mch_payment",
    associatedData: "mch_payment",
    resource,
  });
}

/**
 * Closes bills left unconfirmed for 24 hours. They end as FAIL with OVERDUE_CLOSE, the reason WeChat
 * Pay documents for a bill closed after its retry period.
 */
export function expireDueTransfers(context: SimulatorContext): void {
  const now = context.clock.now();
  for (const bill of context.store.transfers.values()) {
    if (bill.state === "WAIT_USER_CONFIRM" && now - bill.createdAtMs >= TRANSFER_CONFIRM_WINDOW_MS) {
      finishTransfer(context, bill, "FAIL", "OVERDUE_CLOSE");
    }
  }
}
