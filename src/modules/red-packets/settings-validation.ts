import type { MessageKey, MessageParams } from "../../i18n/messages.js";
import type { PayoutChannel } from "../merchants/merchant-account.table.js";
import type { QuotaLimits } from "./quota.js";
import type { AmountMode, NoticeChannel, RedPacketSceneId } from "./red-packet.tables.js";

/** A red packet's settings after parsing, before they are stored. Amounts are fen. */
export interface RedPacketSettings {
  name: string;
  actName: string;
  sendName: string;
  wishing: string;
  remark: string | null;
  sceneId: RedPacketSceneId | null;
  amountMode: AmountMode;
  minAmount: number;
  maxAmount: number;
  limits: QuotaLimits;
  warningThresholdPercent: number | null;
  failureNotice: { enabled: boolean; channel: NoticeChannel | null; text: string | null };
}

/** The merchant account facts the settings are checked against. */
export interface PayoutAccount {
  mchid: string;
  payoutChannel: PayoutChannel;
  smallRedPacketEnabled: boolean;
  transferSceneId: string | null;
}

/** One violated rule: the input path, a stable code and the message that explains the fix. */
export interface SettingsProblem {
  field: string[];
  code: string;
  key: MessageKey;
  params: MessageParams;
  /** Parameters that are themselves messages, rendered in the caller's language. */
  messageParams?: Record<string, MessageKey>;
}

/** The amount input as the API receives it. */
export interface AmountInput {
  mode: AmountMode;
  fixed?: number | null;
  min?: number | null;
  max?: number | null;
}

export const MAX_NAME_LENGTH = 100;
export const MAX_NOTICE_TEXT_LENGTH = 200;

/** WeChat Pay's sendredpack field lengths, in characters. */
const WECHAT_LENGTHS = { actName: 32, sendName: 32, wishing: 128, remark: 256 } as const;

/** Cash red packets of 1–200 yuan need no scene; outside that range scene_id is mandatory. */
const SCENE_FREE_MIN = 100;
const SCENE_FREE_MAX = 20_000;

/**
 * Widest range a merchant may configure for cash red packets with a scene: 0.3 to 4,999 yuan.
 * NOTE: taken from third-party restatements of WeChat Pay's product rules, not an official page. The
 * merchant's own configured range may be narrower, and WeChat Pay then reports MONEY_LIMIT.
 */
const SCENE_MIN = 30;
const SCENE_MAX = 499_900;

/** Merchant transfers pay at least 0.1 yuan and need a real name from 2000 yuan. */
const TRANSFER_MIN = 10;
const TRANSFER_REAL_NAME_FROM = 200_000;

/** The 现金营销 scene, the only one whose report items (活动名称, 奖励说明) red packets can fill. */
export const CASH_MARKETING_SCENE = "1000";

/** Maximum length of transfer_remark and of report item content in a merchant transfer, in characters. */
const TRANSFER_TEXT_LENGTH = 32;

/** Read the amount input into a mode and range, or report what is missing. */
export function parseAmount(input: AmountInput): { minAmount: number; maxAmount: number; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const required = (name: "fixed" | "min" | "max", value: number | null | undefined): number => {
    if (value === undefined || value === null) {
      problems.push({ field: ["amount", name], code: "REQUIRED", key: "redPacket.amountMissing", params: { field: `amount.${name}`, mode: input.mode } });
      return 0;
    }
    if (value < 1) {
      problems.push({ field: ["amount", name], code: "AMOUNT_NOT_POSITIVE", key: "redPacket.amountNotPositive", params: { field: `amount.${name}`, value } });
    }
    return value;
  };

  if (input.mode === "FIXED") {
    const fixed = required("fixed", input.fixed);
    return { minAmount: fixed, maxAmount: fixed, problems };
  }

  const minAmount = required("min", input.min);
  const maxAmount = required("max", input.max);
  if (problems.length === 0 && minAmount > maxAmount) {
    problems.push({ field: ["amount", "min"], code: "AMOUNT_RANGE_INVERTED", key: "redPacket.amountRangeInverted", params: { min: minAmount, max: maxAmount } });
  }
  return { minAmount, maxAmount, problems };
}

/**
 * Check settings against WeChat Pay's rules for the account's payout channel: string lengths, the
 * amount range (small amounts, scenes, transfer bounds), limits that at least one red packet fits,
 * and complete failure notice and warning settings. Returns every problem, not just the first.
 *
 * Without an account (its id was wrong) the channel's rules are skipped, and with `amountParsed` false
 * (the amount input was incomplete) the amount rules are, so only problems the input really has are
 * reported.
 */
export function validateRedPacketSettings(
  settings: RedPacketSettings,
  account: PayoutAccount | undefined,
  amountParsed = true,
): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const add = (field: string[], code: string, key: MessageKey, params: MessageParams) => problems.push({ field, code, key, params });

  checkTexts(settings, add);
  if (account && amountParsed) checkAmounts(settings, account, add);
  if (account?.payoutChannel === "MERCHANT_TRANSFER") checkTransferAccount(settings, account, add);
  checkLimits(settings, amountParsed, add);

  const threshold = settings.warningThresholdPercent;
  if (threshold !== null && (!Number.isInteger(threshold) || threshold < 1 || threshold > 100)) {
    add(["warningThresholdPercent"], "INVALID_THRESHOLD", "redPacket.thresholdRange", { field: "warningThresholdPercent", value: threshold });
  }

  const notice = settings.failureNotice;
  if (notice.enabled && notice.channel === null) {
    add(["failureNotice", "channel"], "REQUIRED", "redPacket.noticeChannelRequired", { field: "failureNotice.channel" });
  }
  if (notice.enabled && (notice.text ?? "").trim() === "") {
    add(["failureNotice", "text"], "REQUIRED", "redPacket.noticeTextRequired", { field: "failureNotice.text" });
  }
  if (notice.text !== null && [...notice.text].length > MAX_NOTICE_TEXT_LENGTH) {
    add(["failureNotice", "text"], "TOO_LONG", "validation.tooLong", {
      field: "failureNotice.text",
      max: MAX_NOTICE_TEXT_LENGTH,
      length: [...notice.text].length,
    });
  }
  return problems;
}

type AddProblem = (field: string[], code: string, key: MessageKey, params: MessageParams) => void;

function checkTexts(settings: RedPacketSettings, add: AddProblem): void {
  const required: [keyof typeof WECHAT_LENGTHS | "name", string][] = [
    ["name", settings.name],
    ["actName", settings.actName],
    ["sendName", settings.sendName],
    ["wishing", settings.wishing],
  ];
  for (const [field, value] of required) {
    if (value.trim() === "") add([field], "REQUIRED", "validation.required", { field });
  }

  const nameLength = [...settings.name].length;
  if (nameLength > MAX_NAME_LENGTH) {
    add(["name"], "TOO_LONG", "validation.tooLong", { field: "name", max: MAX_NAME_LENGTH, length: nameLength });
  }

  // WeChat Pay counts characters, not bytes: 32 Chinese characters fit act_name.
  const wechatFields: [keyof typeof WECHAT_LENGTHS, string, string | null][] = [
    ["actName", "act_name", settings.actName],
    ["sendName", "send_name", settings.sendName],
    ["wishing", "wishing", settings.wishing],
    ["remark", "remark", settings.remark],
  ];
  for (const [field, wechatField, value] of wechatFields) {
    const length = value === null ? 0 : [...value].length;
    if (length > WECHAT_LENGTHS[field]) {
      add([field], "TOO_LONG", "redPacket.tooLong", { field, wechatField, max: WECHAT_LENGTHS[field], length });
    }
  }
}

function checkAmounts(settings: RedPacketSettings, account: PayoutAccount, add: AddProblem): void {
  const { minAmount, maxAmount } = settings;
  const minField = settings.amountMode === "FIXED" ? ["amount", "fixed"] : ["amount", "min"];
  const maxField = settings.amountMode === "FIXED" ? ["amount", "fixed"] : ["amount", "max"];

  if (account.payoutChannel === "MERCHANT_TRANSFER") {
    if (minAmount < TRANSFER_MIN) {
      add(minField, "TRANSFER_MINIMUM", "redPacket.transferMinimum", { field: minField.join("."), amount: minAmount });
    }
    if (maxAmount >= TRANSFER_REAL_NAME_FROM) {
      add(maxField, "TRANSFER_NEEDS_REAL_NAME", "redPacket.transferNeedsRealName", { field: maxField.join("."), amount: maxAmount });
    }
    return;
  }

  if (minAmount < SCENE_FREE_MIN && !account.smallRedPacketEnabled) {
    add(minField, "SMALL_AMOUNT_NOT_ALLOWED", "redPacket.smallAmountNotAllowed", {
      field: minField.join("."),
      amount: minAmount,
      mchid: account.mchid,
    });
  }
  if (minAmount < SCENE_MIN) {
    add(minField, "AMOUNT_OUT_OF_RANGE", "redPacket.amountOutOfRange", { field: minField.join("."), amount: minAmount, min: SCENE_MIN, max: SCENE_MAX });
  }
  if (maxAmount > SCENE_MAX) {
    add(maxField, "AMOUNT_OUT_OF_RANGE", "redPacket.amountOutOfRange", { field: maxField.join("."), amount: maxAmount, min: SCENE_MIN, max: SCENE_MAX });
  }
  if (settings.sceneId === null) {
    if (minAmount < SCENE_FREE_MIN) {
      add(["sceneId"], "SCENE_REQUIRED", "redPacket.sceneRequired", { field: minField.join("."), amount: minAmount });
    } else if (maxAmount > SCENE_FREE_MAX) {
      add(["sceneId"], "SCENE_REQUIRED", "redPacket.sceneRequired", { field: maxField.join("."), amount: maxAmount });
    }
  }
}

function checkTransferAccount(settings: RedPacketSettings, account: PayoutAccount, add: AddProblem): void {
  if (account.transferSceneId === null || account.transferSceneId === "") {
    add(["merchantAccountId"], "TRANSFER_SCENE_MISSING", "redPacket.transferSceneMissing", { mchid: account.mchid });
  } else if (account.transferSceneId !== CASH_MARKETING_SCENE) {
    add(["merchantAccountId"], "TRANSFER_SCENE_UNSUPPORTED", "redPacket.transferSceneUnsupported", {
      mchid: account.mchid,
      scene: account.transferSceneId,
    });
  }

  // A transfer shows the wishing as transfer_remark and reports the remark (or the wishing) as 奖励说明.
  const wishingLength = [...settings.wishing].length;
  if (wishingLength > TRANSFER_TEXT_LENGTH) {
    add(["wishing"], "TOO_LONG", "redPacket.transferTextTooLong", { field: "wishing", wechatField: "transfer_remark", length: wishingLength });
  }
  const remarkLength = settings.remark === null ? 0 : [...settings.remark].length;
  if (remarkLength > TRANSFER_TEXT_LENGTH) {
    add(["remark"], "TOO_LONG", "redPacket.transferTextTooLong", { field: "remark", wechatField: "奖励说明", length: remarkLength });
  }
}

function checkLimits(settings: RedPacketSettings, amountParsed: boolean, add: AddProblem): void {
  const entries: [keyof QuotaLimits, number | null][] = [
    ["totalCount", settings.limits.totalCount],
    ["totalAmount", settings.limits.totalAmount],
    ["dailyCount", settings.limits.dailyCount],
    ["dailyAmount", settings.limits.dailyAmount],
  ];
  for (const [name, value] of entries) {
    if (value !== null && (!Number.isSafeInteger(value) || value < 1)) {
      add(["limits", name], "LIMIT_NOT_POSITIVE", "redPacket.limitNotPositive", { field: `limits.${name}`, value });
    }
  }

  if (!amountParsed) return;
  const maxField = settings.amountMode === "FIXED" ? "amount.fixed" : "amount.max";
  for (const name of ["totalAmount", "dailyAmount"] as const) {
    const limit = settings.limits[name];
    if (limit !== null && limit >= 1 && settings.maxAmount > limit) {
      add(maxField.split("."), "AMOUNT_ABOVE_LIMIT", "redPacket.amountAboveLimit", {
        field: maxField,
        amount: settings.maxAmount,
        limitField: `limits.${name}`,
        limit,
      });
    }
  }
}
