import type { FailureNoticeChannel } from "./failure-notice.table.js";

/** Recipient of a notice: the grant's customer and the official account that may message them. */
export interface NoticeRecipient {
  appid: string;
  openid: string;
  /** E.164 mobile number, when known. */
  mobile: string | null;
  /** The official account of the paying merchant account; template messages are sent from it. */
  officialAccountAppid: string;
}

export type PreparedNotice = { ok: true; payload: Record<string, unknown> } | { ok: false; reason: string };

/** One way of telling a customer that their red packet could not be paid. */
export interface NoticeChannelAdapter {
  readonly channel: FailureNoticeChannel;
  /** Build the channel's message, or return why this customer cannot be reached through the channel. */
  prepare(recipient: NoticeRecipient, text: string): PreparedNotice;
}

/**
 * WeChat official-account template messages. Only followers of the official account can receive one,
 * and their openid must be under the official account's AppID.
 *
 * NOTE: a template message needs a template_id and data keys from the official account's template
 * library. Red packet settings carry only the text, so the payload keeps it under `content` until a
 * template can be configured.
 */
export const templateMessageChannel: NoticeChannelAdapter = {
  channel: "TEMPLATE_MESSAGE",
  prepare(recipient, text) {
    if (recipient.appid !== recipient.officialAccountAppid) return { ok: false, reason: "OPENID_NOT_UNDER_OFFICIAL_ACCOUNT" };
    return { ok: true, payload: { appid: recipient.officialAccountAppid, touser: recipient.openid, data: { content: { value: text } } } };
  },
};

/** SMS to the customer's mainland mobile number. */
export const smsChannel: NoticeChannelAdapter = {
  channel: "SMS",
  prepare(recipient, text) {
    if (!recipient.mobile) return { ok: false, reason: "NO_MOBILE" };
    return { ok: true, payload: { mobile: recipient.mobile, text } };
  },
};

export const noticeChannels: Record<FailureNoticeChannel, NoticeChannelAdapter> = {
  TEMPLATE_MESSAGE: templateMessageChannel,
  SMS: smsChannel,
};
