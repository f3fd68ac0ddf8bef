import type { MessageKey } from "../../i18n/messages.js";

/** Failure codes this module assigns itself, with their messages; every other code is WeChat Pay's. */
const OWN_FAILURE_KEYS: Record<string, MessageKey> = {
  TOTAL_COUNT_LIMIT: "redPacket.failure.TOTAL_COUNT_LIMIT",
  TOTAL_AMOUNT_LIMIT: "redPacket.failure.TOTAL_AMOUNT_LIMIT",
  DAILY_COUNT_LIMIT: "redPacket.failure.DAILY_COUNT_LIMIT",
  DAILY_AMOUNT_LIMIT: "redPacket.failure.DAILY_AMOUNT_LIMIT",
  RED_PACKET_DELETED: "redPacket.failure.RED_PACKET_DELETED",
  MERCHANT_ACCOUNT_DISABLED: "redPacket.failure.MERCHANT_ACCOUNT_DISABLED",
  APPID_NOT_PAYABLE: "redPacket.failure.APPID_NOT_PAYABLE",
  TRANSFER_SCENE_MISSING: "redPacket.failure.TRANSFER_SCENE_MISSING",
};

/** Return the message key of one of our failure codes; undefined for WeChat Pay's codes. */
export function ownFailureKey(code: string): MessageKey | undefined {
  return Object.hasOwn(OWN_FAILURE_KEYS, code) ? OWN_FAILURE_KEYS[code] : undefined;
}
