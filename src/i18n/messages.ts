import type { Locale } from "./locale.js";
import { campaignMessages } from "../modules/campaigns/campaign.messages.js";
import { merchantMessages } from "../modules/merchants/merchant.messages.js";
import { voucherMessages } from "../modules/vouchers/voucher.messages.js";
import { customerMessages } from "../modules/customers/customer.messages.js";
import { eventMessages } from "../modules/events/events.messages.js";
import { redPacketMessages } from "../modules/red-packets/red-packet.messages.js";
import { productMessages } from "../modules/products/product.messages.js";
import { orderMessages } from "../modules/orders/order.messages.js";
import { noticeMessages } from "../modules/notices/notice.messages.js";
import { defineMessages } from "./define-messages.js";

/**
 * User-facing texts by key. Each module defines its own table with defineMessages, where English sets the
 * keys and the Chinese table must have exactly the same ones, so a missing translation fails
 * type-checking. Placeholders are written {name}.
 */
const coreMessages = defineMessages({
  "auth.missingToken": "Authentication required: send an Authorization header with a Bearer token.",
  "auth.invalid.tenant": "The access token is invalid: its tenant_id claim is missing or malformed. Request a new token.",
  "auth.invalid.roles": "The access token is invalid: its roles claim must list one or more of admin, marketer, analyst, service, customer.",
  "auth.invalid.customer": "The access token is invalid: a customer token needs the appid and openid claims.",
  "auth.invalid.claim": "The access token is invalid: its {claim} claim does not match this server. Request a token for this service.",
  "auth.invalid.algorithm": "The access token is invalid: its signing algorithm is not accepted. Request a new token.",
  "auth.invalid.signature": "The access token is invalid: its signature does not verify. Request a new token.",
  "auth.invalid.noKey": "The access token is invalid: no signing key of the identity provider matches it. Request a new token.",
  "auth.invalid.malformed": "The access token is malformed. Send the token exactly as issued.",
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
  "error.invalidFen": "{value} is not an amount in fen: amounts are non-negative whole numbers of fen (1 yuan = 100 fen).",
  "error.nulCharacter": "Text values may not contain the NUL character (\\u0000); remove it and send the request again.",
  "error.invalidJson": "The request body is not valid JSON. Send a JSON object such as {\"query\": \"{ viewer { tenantId } }\"}.",
  "error.bodyTooLarge": "The request body is too large; split the request into smaller ones.",
  "error.badRequest": "The request could not be read; check its headers and body.",
  "validation.required": "{field} is required.",
  "validation.tooLong": "{field} may have at most {max} characters, but has {length}.",
  "validation.timeRange": "{field}: the end time must be after the start time.",
  "validation.invalid": "{field} has the invalid value {value}: {reason}",
}, {
  "auth.missingToken": "需要身份验证：请在 Authorization 请求头中携带 Bearer 令牌。",
  "auth.invalid.tenant": "访问令牌无效：tenant_id 声明缺失或格式错误，请重新获取令牌。",
  "auth.invalid.roles": "访问令牌无效：roles 声明必须包含 admin、marketer、analyst、service、customer 中的一个或多个。",
  "auth.invalid.customer": "访问令牌无效：客户令牌必须包含 appid 和 openid 声明。",
  "auth.invalid.claim": "访问令牌无效：其 {claim} 声明与本服务不符，请获取本服务的令牌。",
  "auth.invalid.algorithm": "访问令牌无效：不接受其签名算法，请重新获取令牌。",
  "auth.invalid.signature": "访问令牌无效：签名校验失败，请重新获取令牌。",
  "auth.invalid.noKey": "访问令牌无效：身份提供方没有与之匹配的签名密钥，请重新获取令牌。",
  "auth.invalid.malformed": "访问令牌格式错误，请原样发送签发的令牌。",
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
  "error.invalidFen": "{value} 不是以分为单位的金额：金额必须是非负整数，单位为分（1 元 = 100 分）。",
  "error.nulCharacter": "文本中不能包含 NUL 字符（\\u0000），请删除后重新发送。",
  "error.invalidJson": "请求体不是有效的 JSON，请发送 JSON 对象，例如 {\"query\": \"{ viewer { tenantId } }\"}。",
  "error.bodyTooLarge": "请求体过大，请拆分为多个较小的请求。",
  "error.badRequest": "无法读取该请求，请检查请求头和请求体。",
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
  noticeMessages,
] as const;

type KeysOf<TTable> = TTable extends { en: Record<infer TKey, string> } ? TKey : never;
export type MessageKey = KeysOf<(typeof tables)[number]>;

const catalogs: Record<Locale, Record<string, string>> = {
  en: Object.assign({}, ...tables.map((table) => table.en)),
  "zh-CN": Object.assign({}, ...tables.map((table) => table.zhCN)),
};

/** Maximum length of a value shown inside a message, in characters. */
const MAX_PARAM_LENGTH = 120;

export type MessageParams = Record<string, string | number | boolean | null | undefined>;

/** Render a message in the given language, filling {placeholders} from params. */
export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const template = catalogs[locale][key] ?? key;
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) return placeholder;
    // A message names the bad value, but echoing a 100,000-character input back helps no one.
    const text = String(value);
    return text.length > MAX_PARAM_LENGTH ? `${text.slice(0, MAX_PARAM_LENGTH)}…` : text;
  });
}
