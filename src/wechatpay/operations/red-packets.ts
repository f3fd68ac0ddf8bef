import { assertPositiveCount, assertPositiveFen } from "../amount.js";
import type { CallOptions, ClientContext } from "../context.js";
import { WechatPayProgrammingError } from "../errors.js";
import type { WechatPayResult } from "../result.js";
import { callV2, integerField } from "../transport/v2-call.js";
import type { XmlObject, XmlValue } from "../xml.js";

export type RedPackSceneId =
  | "PRODUCT_1"
  | "PRODUCT_2"
  | "PRODUCT_3"
  | "PRODUCT_4"
  | "PRODUCT_5"
  | "PRODUCT_6"
  | "PRODUCT_7"
  | "PRODUCT_8";

/** Fields of `POST /mmpaymkttransfers/sendredpack`; the client adds mch_id, nonce_str and sign. */
export interface SendRedPackRequest {
  /** At most 28 letters or digits; resending the same number is a retry of the same packet. */
  mch_billno: string;
  /** Official account appid the openid belongs to. */
  wxappid: string;
  send_name: string;
  re_openid: string;
  /** Fen. */
  total_amount: number;
  /** 1 for a normal red packet. */
  total_num?: number;
  wishing: string;
  client_ip: string;
  act_name: string;
  remark: string;
  /** Required when total_amount is below 100 or above 20000 fen. */
  scene_id?: RedPackSceneId;
  risk_info?: string;
  consume_mch_id?: string;
}

export interface SendRedPackResponse {
  mch_billno: string;
  mch_id: string;
  wxappid: string;
  re_openid: string;
  /** Fen. */
  total_amount: number;
  send_listid: string;
}

export interface QueryRedPackRequest {
  mch_billno: string;
  /** The appid the packet was sent under. */
  appid: string;
}

export type RedPackStatus = "SENDING" | "SENT" | "FAILED" | "RECEIVED" | "RFUND_ING" | "REFUND";

export interface RedPackInfo {
  mch_billno: string;
  mch_id: string;
  detail_id: string;
  status: RedPackStatus;
  send_type?: "API" | "UPLOAD" | "ACTIVITY";
  hb_type?: "NORMAL" | "GROUP";
  total_num: number;
  /** Fen. */
  total_amount: number;
  reason?: string;
  /** `yyyy-MM-dd HH:mm:ss`, China time. */
  send_time?: string;
  refund_time?: string;
  /** Fen. */
  refund_amount?: number;
  wishing?: string;
  remark?: string;
  act_name?: string;
  hblist: Array<{ openid: string; amount: number; rcv_time?: string }>;
}

const MCH_BILLNO_PATTERN = /^[0-9A-Za-z]{1,28}$/;

function assertSendRedPackRequest(request: SendRedPackRequest): void {
  if (!MCH_BILLNO_PATTERN.test(request.mch_billno)) {
    throw new WechatPayProgrammingError(`mch_billno must be 1–28 letters or digits, got ${JSON.stringify(request.mch_billno)}`);
  }
  assertPositiveFen(request.total_amount, "total_amount");
  assertPositiveCount(request.total_num ?? 1, "total_num");
  if ((request.total_amount < 100 || request.total_amount > 20000) && request.scene_id === undefined) {
    throw new WechatPayProgrammingError("scene_id is required when total_amount is below 100 or above 20000 fen");
  }
}

export function sendRedPack(
  context: ClientContext,
  request: SendRedPackRequest,
  options?: CallOptions,
): Promise<WechatPayResult<SendRedPackResponse>> {
  assertSendRedPackRequest(request);
  return callV2(context, {
    operation: "sendredpack",
    effect: "write",
    path: "/mmpaymkttransfers/sendredpack",
    fields: {
      mch_billno: request.mch_billno,
      mch_id: context.config.mchid,
      wxappid: request.wxappid,
      send_name: request.send_name,
      re_openid: request.re_openid,
      total_amount: String(request.total_amount),
      total_num: String(request.total_num ?? 1),
      wishing: request.wishing,
      client_ip: request.client_ip,
      act_name: request.act_name,
      remark: request.remark,
      scene_id: request.scene_id,
      risk_info: request.risk_info,
      consume_mch_id: request.consume_mch_id,
    },
    signType: "MD5",
    responseSigned: false,
    rateLimit: "redPacketSend",
    parse: (fields) => ({
      mch_billno: fields.mch_billno ?? request.mch_billno,
      mch_id: fields.mch_id ?? context.config.mchid,
      wxappid: fields.wxappid ?? request.wxappid,
      re_openid: fields.re_openid ?? request.re_openid,
      total_amount: fields.total_amount !== undefined ? integerField(fields, "total_amount") : request.total_amount,
      send_listid: requiredField(fields, "send_listid"),
    }),
    options,
  });
}

export function queryRedPack(
  context: ClientContext,
  request: QueryRedPackRequest,
  options?: CallOptions,
): Promise<WechatPayResult<RedPackInfo>> {
  return callV2(context, {
    operation: "gethbinfo",
    effect: "read",
    path: "/mmpaymkttransfers/gethbinfo",
    fields: {
      mch_billno: request.mch_billno,
      mch_id: context.config.mchid,
      appid: request.appid,
      bill_type: "MCHT",
    },
    signType: "MD5",
    responseSigned: false,
    parse: parseRedPackInfo,
    options,
  });
}

function requiredField(fields: Record<string, string>, name: string): string {
  const value = fields[name];
  if (value === undefined || value === "") throw new Error(`field ${name} is missing`);
  return value;
}

function parseRedPackInfo(fields: Record<string, string>, root: XmlObject): RedPackInfo {
  const info: RedPackInfo = {
    mch_billno: requiredField(fields, "mch_billno"),
    mch_id: requiredField(fields, "mch_id"),
    detail_id: requiredField(fields, "detail_id"),
    status: requiredField(fields, "status") as RedPackStatus,
    total_num: integerField(fields, "total_num"),
    total_amount: integerField(fields, "total_amount"),
    hblist: parseHbList(root.hblist),
  };

  const optionalText = ["send_type", "hb_type", "reason", "send_time", "refund_time", "wishing", "remark", "act_name"] as const;
  for (const name of optionalText) {
    const value = fields[name];
    if (value !== undefined && value !== "") (info as unknown as Record<string, string>)[name] = value;
  }
  if (fields.refund_amount !== undefined && fields.refund_amount !== "") {
    info.refund_amount = integerField(fields, "refund_amount");
  }
  return info;
}

function parseHbList(hblist: XmlValue | undefined): RedPackInfo["hblist"] {
  if (hblist === undefined || typeof hblist === "string" || Array.isArray(hblist)) return [];
  const entries = hblist.hbinfo;
  if (!Array.isArray(entries)) return [];

  return entries.map((entry) => {
    if (typeof entry !== "object" || Array.isArray(entry)) throw new Error("hbinfo entry is not an element");
    const fields = Object.fromEntries(
      Object.entries(entry).filter((pair): pair is [string, string] => typeof pair[1] === "string"),
    );
    const item: RedPackInfo["hblist"][number] = {
      openid: requiredField(fields, "openid"),
      amount: integerField(fields, "amount"),
    };
    if (fields.rcv_time !== undefined) item.rcv_time = fields.rcv_time;
    return item;
  });
}
