import { defineMessages } from "../../i18n/define-messages.js";

export const noticeMessages = defineMessages(
  {
    "notice.endpointUrlInvalid": "{field} must be an https:// URL of your messaging gateway (http:// only on a loopback address), but is {value}.",
    "notice.templateIdRequired": "{field} is required for TEMPLATE_MESSAGE: give the template id from your official account's template library.",
    "notice.secretTooShort": "{field} must have at least {min} characters so signatures cannot be guessed; it has {length}.",
  },
  {
    "notice.endpointUrlInvalid": "{field} 必须是您的消息网关的 https:// 地址（仅回环地址可用 http://），当前为 {value}。",
    "notice.templateIdRequired": "TEMPLATE_MESSAGE 渠道必须填写 {field}：请填写公众号模板库中的模板 ID。",
    "notice.secretTooShort": "{field} 至少需要 {min} 个字符，以免签名被猜出；当前为 {length} 个。",
  },
);
