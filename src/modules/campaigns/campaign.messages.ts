import { defineMessages } from "../../i18n/define-messages.js";

export const campaignMessages = defineMessages(
  {
    "campaign.notFound": "No campaign with id {id} was found.",
    "campaign.externalIdTaken": "Another campaign already uses the external id {value}; choose a different one.",
  },
  {
    "campaign.notFound": "未找到 id 为 {id} 的营销活动。",
    "campaign.externalIdTaken": "外部 id {value} 已被其他营销活动使用，请换一个。",
  },
);
