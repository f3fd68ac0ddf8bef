import { assertPositiveFen } from "../amount.js";
import type { CallOptions, ClientContext } from "../context.js";
import type { WechatPayResult } from "../result.js";
import { callV3, parseJsonObject, pathSegment } from "../transport/v3-call.js";

export type TransferBillState =
  | "ACCEPTED"
  | "PROCESSING"
  | "WAIT_USER_CONFIRM"
  | "TRANSFERING"
  | "SUCCESS"
  | "FAIL"
  | "CANCELING"
  | "CANCELLED";

/** Body of `POST /v3/fund-app/mch-transfer/transfer-bills`. */
export interface CreateTransferBillRequest {
  appid: string;
  /** Digits and letters, at most 32; the idempotency key. */
  out_bill_no: string;
  transfer_scene_id: string;
  openid: string;
  /**
   * Real name, RSA-OAEP encrypted with the WeChat Pay public key; WeChat Pay requires it from 200000 fen.
   * NOTE: the client neither encrypts it nor sends the matching Wechatpay-Serial in certificate mode,
   * so bills that need it cannot be created yet.
   */
  user_name?: string;
  /** Fen. */
  transfer_amount: number;
  transfer_remark: string;
  notify_url?: string;
  user_recv_perception?: string;
  transfer_scene_report_infos: Array<{ info_type: string; info_content: string }>;
}

export interface CreateTransferBillResponse {
  out_bill_no: string;
  transfer_bill_no: string;
  create_time: string;
  state: TransferBillState;
  fail_reason?: string;
  /** Present when state is WAIT_USER_CONFIRM; pass it unchanged to the user's confirm page. */
  package_info?: string;
}

export interface TransferBill {
  mch_id?: string;
  out_bill_no: string;
  transfer_bill_no: string;
  appid?: string;
  state: TransferBillState;
  /** Fen. */
  transfer_amount: number;
  transfer_remark?: string;
  fail_reason?: string;
  openid?: string;
  user_name?: string;
  create_time?: string;
  update_time?: string;
}

export interface CancelTransferBillResponse {
  out_bill_no: string;
  transfer_bill_no: string;
  state: "CANCELING" | "CANCELLED";
  update_time?: string;
}

export function createTransferBill(
  context: ClientContext,
  request: CreateTransferBillRequest,
  options?: CallOptions,
): Promise<WechatPayResult<CreateTransferBillResponse>> {
  assertPositiveFen(request.transfer_amount, "transfer_amount");
  return callV3(context, {
    operation: "createTransferBill",
    family: "transfer",
    effect: "write",
    method: "POST",
    pathAndQuery: "/v3/fund-app/mch-transfer/transfer-bills",
    body: request,
    rateLimit: "transferCreate",
    parse: (body) => parseJsonObject<CreateTransferBillResponse>(body),
    options,
  });
}

export function queryTransferBillByOutBillNo(
  context: ClientContext,
  out_bill_no: string,
  options?: CallOptions,
): Promise<WechatPayResult<TransferBill>> {
  return callV3(context, {
    operation: "queryTransferBillByOutBillNo",
    family: "transfer",
    effect: "read",
    method: "GET",
    pathAndQuery: `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${pathSegment(out_bill_no)}`,
    parse: (body) => parseJsonObject<TransferBill>(body),
    options,
  });
}

/** Asks WeChat Pay to cancel a bill the user has not confirmed; CANCELLED arrives later by query or notification. */
export function cancelTransferBill(
  context: ClientContext,
  out_bill_no: string,
  options?: CallOptions,
): Promise<WechatPayResult<CancelTransferBillResponse>> {
  return callV3(context, {
    operation: "cancelTransferBill",
    family: "transfer",
    effect: "write",
    method: "POST",
    pathAndQuery: `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${pathSegment(out_bill_no)}/cancel`,
    parse: (body) => parseJsonObject<CancelTransferBillResponse>(body),
    options,
  });
}
