import { defineMessages } from "../../i18n/define-messages.js";

export const customerMessages = defineMessages(
  {
    "customer.invalidMobile": "{value} is not a mainland mobile number or its beginning; use digits such as 13800138000 or 138.",
  },
  {
    "customer.invalidMobile": "{value} 不是中国大陆手机号或其开头，请输入数字，例如 13800138000 或 138。",
  },
);
