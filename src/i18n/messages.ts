import type { Locale } from "./locale.js";
import { campaignMessages } from "../modules/campaigns/campaign.messages.js";
import { merchantMessages } from "../modules/merchants/merchant.messages.js";
import { voucherMessages } from "../modules/vouchers/voucher.messages.js";
import { customerMessages } from "../modules/customers/customer.messages.js";
import { eventMessages } from "../modules/events/events.messages.js";
import { redPacketMessages } from "../modules/red-packets/red-packet.messages.js";
import { productMessages } from "../modules/products/product.messages.js";
import { orderMessages } from "../modules/orders/order.messages.js";
import { defineMessages } from "./define-messages.js";

/**
 * User-facing texts by key. Each module defines its own table with defineMessages, where English sets the
 * keys and the Chinese table must have exactly the same ones, so a missing translation fails
 * type-checking. Placeholders are written {name}.
 */
const coreMessages = defineMessages({
  "auth.missingToken": "Authentication required: send an Authorization header with a Bearer token.",
  "auth.invalidToken": "The access token is invalid: {reason}. Request a new token and try again.",
  "auth.expiredToken": "The access token has expired. Request a new token and try again.",
  "auth.malformedHeader": "The Authorization header must have the form \"Bearer <token>\".",
  "auth.forbidden": "Your role ({roles}) may not use {field}. It needs one of: {allowed}.",
  "auth.customerOnly": "Only a customer signed in on a WeChat page can do this.",
  "error.internal": "Something went wrong on our side. Quote request id {requestId} when you contact support.",
  "error.notFound": "No {type} with id {id} was found.",
  "error.invalidId": "The id {id} is not a valid {type} id. Use the id field returned by the API.",
  "error.invalidCursor": "The cursor {cursor} is invalid. Use a cursor from pageInfo of the previous page.",
  "error.pageSize": "first must be between 1 and {max}, but was {value}.",
  "error.queryTooDeep": "The query is nested {depth} levels deep; the limit is {max}. Split it into smaller queries.",
  "error.rateLimited": "Too many requests. Wait {seconds} seconds and try again.",
  "validation.required": "{field} is required.",
  "validation.tooLong": "{field} may have at most {max} characters, but has {length}.",
  "validation.timeRange": "{field}: the end time must be after the start time.",
  "validation.invalid": "{field} has the invalid value {value}: {reason}",
}, {
  "auth.missingToken": "需要身份验证：请在 Authorization 请求头中携带 Bearer 令牌。",
  "auth.invalidToken": "访问令牌无效：{reason}。请重新获取令牌后再试。",
  "auth.expiredToken": "访问令牌已过期，请重新获取令牌后再试。",
  "auth.malformedHeader": "Authorization 请求头的格式必须是 \"Bearer <令牌>\"。",
  "auth.forbidden": "您的角色（{roles}）无权使用 {field}，需要以下角色之一：{allowed}。",
  "auth.customerOnly": "只有在微信页面上登录的客户才能执行此操作。",
  "error.internal": "服务器内部出错。联系客服时请提供请求编号 {requestId}。",
  "error.notFound": "未找到 id 为 {id} 的{type}。",
  "error.invalidId": "{id} 不是有效的{type} id，请使用接口返回的 id 字段。",
  "error.invalidCursor": "游标 {cursor} 无效，请使用上一页 pageInfo 中的游标。",
  "error.pageSize": "first 必须在 1 到 {max} 之间，当前为 {value}。",
  "error.queryTooDeep": "查询嵌套了 {depth} 层，上限为 {max} 层，请拆分为更小的查询。",
  "error.rateLimited": "请求过于频繁，请在 {seconds} 秒后重试。",
  "validation.required": "{field} 为必填项。",
  "validation.tooLong": "{field} 最多 {max} 个字符，当前为 {length} 个。",
  "validation.timeRange": "{field}：结束时间必须晚于开始时间。",
  "validation.invalid": "{field} 的值 {value} 无效：{reason}",
});

const tables = [
  coreMessages,
  campaignMessages,
  merchantMessages,
  eventMessages,
  voucherMessages,
  redPacketMessages,
  productMessages,
  orderMessages,
  customerMessages,
] as const;

type KeysOf<TTable> = TTable extends { en: Record<infer TKey, string> } ? TKey : never;
export type MessageKey = KeysOf<(typeof tables)[number]>;

const catalogs: Record<Locale, Record<string, string>> = {
  en: Object.assign({}, ...tables.map((table) => table.en)),
  "zh-CN": Object.assign({}, ...tables.map((table) => table.zhCN)),
};

export type MessageParams = Record<string, string | number | boolean | null | undefined>;

/** Render a message in the given language, filling {placeholders} from params. */
export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const template = catalogs[locale][key] ?? key;
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = params[name];
    return value === undefined || value === null ? placeholder : String(value);
  });
}
