import type { MerchantAccountRow } from "../merchants/merchant-account.table.js";
import type {
  CreateTransferBillRequest,
  RedPackSceneId,
  SendRedPackRequest,
  WechatPayClient,
  WechatPayFailure,
} from "../../wechatpay/index.js";
import type { RedPacketGrantRow, RedPacketRow } from "./red-packet.tables.js";
import { CASH_MARKETING_SCENE } from "./settings-validation.js";

/**
 * NOTE: sendredpack requires client_ip, the IP of the calling server. This server does not know its
 * public address and sends the loopback address, which WeChat Pay might reject; a CLIENT_IP setting
 * would remove the guess.
 */
const CLIENT_IP = "127.0.0.1";

/** The label shown to the payee of a 现金营销 transfer; WeChat Pay accepts 现金奖励 or 活动奖励 there. */
const TRANSFER_PERCEPTION = "现金奖励";

/**
 * WeChat Pay's report on a grant's payout, from a send, a query or a notification. `amount` is the
 * amount in fen recorded at WeChat Pay for the request number, when the response includes it.
 */
export type PayoutObservation =
  /** Sent and waiting for the customer: a cash red packet to open, a transfer to confirm. */
  | { kind: "issued"; wechatId: string; wechatState: string; packageInfo?: string; amount?: number }
  /** The customer opened the red packet or confirmed the transfer. */
  | { kind: "claimed"; wechatId: string; wechatState: string; amount?: number }
  /** An issued cash red packet went back to the merchant (unclaimed for 24 hours). */
  | { kind: "refunded"; wechatId: string; wechatState: string; amount?: number }
  /** A transfer bill ended without paying (FAIL or CANCELLED); `reason` is its fail_reason. */
  | { kind: "closed"; wechatId: string; wechatState: string; reason: string; amount?: number }
  /** Definitively not paid; the request number will never pay. */
  | { kind: "failed"; code: string; message: string; limitReached: boolean }
  /** WeChat Pay is still working on it (SENDING, ACCEPTED, PROCESSING, TRANSFERING, CANCELING). */
  | { kind: "inProgress"; wechatState: string; amount?: number }
  /** A query found no payout with this request number. */
  | { kind: "notFound" }
  /** A transfer waits for confirmation but its package_info must be fetched by sending the same body again. */
  | { kind: "needsPackage" }
  /** Nothing happened; send the same request again later (NOTENOUGH, rate limits, a failed query). */
  | { kind: "retryLater"; code: string; message: string }
  /** The request may have taken effect; query before anything else. */
  | { kind: "unknown"; code: string; message: string };

/** WeChat Pay codes that mean a limit was reached rather than a fault. */
const LIMIT_CODES = new Set([
  "SENDNUMLIMIT",
  "RCVDAMOUNTLIMIT",
  "SENDAMOUNTLIMIT",
  "TRANSFERQUOTAEXCEED",
  "DAYRECEIVEDQUOTAEXCEED",
  "DAYRECEIVEDCOUNTEXCEED",
  "REALNAMEACCOUNTRECEIVEDQUOTAEXCEED",
]);

export function isLimitCode(code: string): boolean {
  return LIMIT_CODES.has(code.replaceAll("_", "").toUpperCase());
}

/** Build the sendredpack body of a grant once, at reservation, so that every attempt sends the same fields. */
export function cashRedPacketRequest(packet: RedPacketRow, account: MerchantAccountRow, grant: { openid: string; amount: number }) {
  return {
    wxappid: account.officialAccountAppid,
    re_openid: grant.openid,
    total_amount: grant.amount,
    total_num: 1,
    send_name: packet.sendName,
    wishing: packet.wishing,
    act_name: packet.actName,
    // WeChat Pay requires a remark, so the activity name is sent when none is set.
    remark: packet.remark ?? packet.actName,
    client_ip: CLIENT_IP,
    ...(packet.sceneId ? { scene_id: packet.sceneId } : {}),
  };
}

/** Build the transfer-bills body of a grant (without out_bill_no) once, at reservation, like the cash one. */
export function transferRequest(
  packet: RedPacketRow,
  account: MerchantAccountRow,
  grant: { appid: string; openid: string; amount: number },
  notifyUrl: string,
): Omit<CreateTransferBillRequest, "out_bill_no"> {
  return {
    appid: grant.appid,
    transfer_scene_id: account.transferSceneId ?? CASH_MARKETING_SCENE,
    openid: grant.openid,
    transfer_amount: grant.amount,
    transfer_remark: packet.wishing,
    notify_url: notifyUrl,
    user_recv_perception: TRANSFER_PERCEPTION,
    // 现金营销 needs exactly these two report items, spelled exactly so.
    transfer_scene_report_infos: [
      { info_type: "活动名称", info_content: packet.actName },
      { info_type: "奖励说明", info_content: packet.remark ?? packet.wishing },
    ],
  };
}

/** Send (or resend, with the same number and body) the grant's payout. */
export async function sendPayout(client: WechatPayClient, grant: RedPacketGrantRow): Promise<PayoutObservation> {
  const requestNo = grant.requestNo!;
  if (grant.channel === "CASH_RED_PACKET") {
    const body = grant.request as unknown as Omit<SendRedPackRequest, "mch_billno"> & { scene_id?: RedPackSceneId };
    const result = await client.sendRedPack({ ...body, mch_billno: requestNo });
    if (result.ok) return { kind: "issued", wechatId: result.value.send_listid, wechatState: "SENT" };
    // FATAL_ERROR means the number is taken by a packet with other fields, so only a query shows what exists.
    if (result.code.replaceAll("_", "") === "FATALERROR") return { kind: "unknown", code: result.code, message: result.message };
    return fromFailure(result);
  }

  const body = grant.request as unknown as Omit<CreateTransferBillRequest, "out_bill_no">;
  const result = await client.createTransferBill({ ...body, out_bill_no: requestNo });
  if (!result.ok) return fromFailure(result);
  return fromTransferState(result.value.state, result.value.transfer_bill_no, result.value.fail_reason, result.value.package_info);
}

/** Ask WeChat Pay what became of the grant's request number. */
export async function queryPayout(client: WechatPayClient, grant: RedPacketGrantRow): Promise<PayoutObservation> {
  const requestNo = grant.requestNo!;
  if (grant.channel === "CASH_RED_PACKET") {
    const appid = String((grant.request as { wxappid?: unknown }).wxappid ?? grant.appid);
    const result = await client.queryRedPack({ appid, mch_billno: requestNo });
    if (!result.ok) return fromQueryFailure(result);

    const info = result.value;
    const amount = info.total_amount;
    switch (info.status) {
      case "SENDING":
        return { kind: "inProgress", wechatState: info.status, amount };
      case "SENT":
        return { kind: "issued", wechatId: info.detail_id, wechatState: info.status, amount };
      case "RECEIVED":
        return { kind: "claimed", wechatId: info.detail_id, wechatState: info.status, amount };
      case "RFUND_ING":
      case "REFUND":
        return { kind: "refunded", wechatId: info.detail_id, wechatState: info.status, amount };
      // A FAILED packet is sent again under the same number, and WeChat Pay then returns a definitive result.
      case "FAILED":
        return { kind: "notFound" };
    }
  }

  const result = await client.queryTransferBillByOutBillNo(requestNo);
  if (!result.ok) return fromQueryFailure(result);
  const bill = result.value;
  if (bill.state === "WAIT_USER_CONFIRM") {
    return grant.packageInfo
      ? { kind: "issued", wechatId: bill.transfer_bill_no, wechatState: bill.state, packageInfo: grant.packageInfo, amount: bill.transfer_amount }
      : { kind: "needsPackage" };
  }
  const observation = fromTransferState(bill.state, bill.transfer_bill_no, bill.fail_reason, undefined);
  return "wechatState" in observation ? { ...observation, amount: bill.transfer_amount } : observation;
}

export function fromTransferState(
  state: string,
  wechatId: string,
  failReason: string | undefined,
  packageInfo: string | undefined,
): PayoutObservation {
  switch (state) {
    case "WAIT_USER_CONFIRM":
      return packageInfo ? { kind: "issued", wechatId, wechatState: state, packageInfo } : { kind: "needsPackage" };
    case "SUCCESS":
      return { kind: "claimed", wechatId, wechatState: state };
    case "FAIL":
    case "CANCELLED":
      return { kind: "closed", wechatId, wechatState: state, reason: failReason ?? state };
    default:
      return { kind: "inProgress", wechatState: state };
  }
}

function fromFailure(failure: WechatPayFailure): PayoutObservation {
  switch (failure.outcome) {
    case "unknown":
      return { kind: "unknown", code: failure.code, message: failure.message };
    case "retryable":
      return { kind: "retryLater", code: failure.code, message: failure.message };
    case "definitive":
      return { kind: "failed", code: failure.code, message: failure.message, limitReached: isLimitCode(failure.code) };
  }
}

function fromQueryFailure(failure: WechatPayFailure): PayoutObservation {
  if (failure.code === "NOT_FOUND" || failure.code === "RESOURCE_NOT_EXISTS") return { kind: "notFound" };
  return { kind: "retryLater", code: failure.code, message: failure.message };
}
