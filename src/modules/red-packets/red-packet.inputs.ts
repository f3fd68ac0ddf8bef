import { Field, ID, InputType, Int } from "type-graphql";
import { FenScalar } from "../../graphql/scalars/fen.js";
import { FailureNoticeChannelEnum } from "../notices/failure-notice.type.js";
import { RedPacketAmountModeEnum, RedPacketSceneEnum, RedPacketStatusEnum } from "./red-packet.type.js";
import type { AmountMode, NoticeChannel, RedPacketSceneId, RedPacketStatus } from "./red-packet.tables.js";

@InputType({ description: "FIXED needs `fixed`; RANDOM needs `min` and `max` (inclusive)." })
export class RedPacketAmountInput {
  @Field(() => RedPacketAmountModeEnum)
  mode!: AmountMode;

  @Field(() => FenScalar, { nullable: true })
  fixed?: number | null;

  @Field(() => FenScalar, { nullable: true })
  min?: number | null;

  @Field(() => FenScalar, { nullable: true })
  max?: number | null;
}

@InputType({ description: "Issue limits; leave a field empty (or null) for no limit." })
export class RedPacketLimitsInput {
  @Field(() => Int, { nullable: true })
  totalCount?: number | null;

  @Field(() => FenScalar, { nullable: true })
  totalAmount?: number | null;

  @Field(() => Int, { nullable: true })
  dailyCount?: number | null;

  @Field(() => FenScalar, { nullable: true })
  dailyAmount?: number | null;
}

@InputType()
export class FailureNoticeSettingsInput {
  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => FailureNoticeChannelEnum, { nullable: true })
  channel?: NoticeChannel | null;

  @Field(() => String, { nullable: true, description: "Text the customer receives, at most 200 characters." })
  text?: string | null;
}

@InputType()
export class CreateRedPacketInput {
  @Field(() => String, { description: "Internal name, at most 100 characters." })
  name!: string;

  @Field(() => ID)
  campaignId!: string;

  @Field(() => ID)
  merchantAccountId!: string;

  @Field(() => String, { description: "act_name, at most 32 characters." })
  actName!: string;

  @Field(() => String, { description: "send_name, at most 32 characters." })
  sendName!: string;

  @Field(() => String, { description: "wishing, at most 128 characters (32 when the account pays by merchant transfer)." })
  wishing!: string;

  @Field(() => String, {
    nullable: true,
    description: "remark, at most 256 characters (32 for merchant transfers). WeChat Pay requires one, so act_name is sent when empty.",
  })
  remark?: string | null;

  @Field(() => RedPacketAmountInput)
  amount!: RedPacketAmountInput;

  @Field(() => RedPacketLimitsInput, { nullable: true })
  limits?: RedPacketLimitsInput | null;

  @Field(() => RedPacketSceneEnum, { nullable: true })
  sceneId?: RedPacketSceneId | null;

  @Field(() => FailureNoticeSettingsInput, { nullable: true })
  failureNotice?: FailureNoticeSettingsInput | null;

  @Field(() => Int, { nullable: true, description: "Record a quota warning when a limit's usage crosses this percentage (1–100)." })
  warningThresholdPercent?: number | null;
}

@InputType({
  description:
    "Fields left out keep their value; null clears an optional one. After sending has started, amount, merchantAccountId and campaignId are frozen, and limits may not go below what is issued or in flight.",
})
export class UpdateRedPacketInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => ID, { nullable: true })
  campaignId?: string | null;

  @Field(() => ID, { nullable: true })
  merchantAccountId?: string | null;

  @Field(() => String, { nullable: true })
  actName?: string | null;

  @Field(() => String, { nullable: true })
  sendName?: string | null;

  @Field(() => String, { nullable: true })
  wishing?: string | null;

  @Field(() => String, { nullable: true })
  remark?: string | null;

  @Field(() => RedPacketAmountInput, { nullable: true })
  amount?: RedPacketAmountInput | null;

  @Field(() => RedPacketLimitsInput, { nullable: true, description: "Fields given replace that limit; null removes it." })
  limits?: RedPacketLimitsInput | null;

  @Field(() => RedPacketSceneEnum, { nullable: true })
  sceneId?: RedPacketSceneId | null;

  @Field(() => FailureNoticeSettingsInput, { nullable: true })
  failureNotice?: FailureNoticeSettingsInput | null;

  @Field(() => Int, { nullable: true })
  warningThresholdPercent?: number | null;
}

@InputType({ description: "Conditions a red packet must meet; all given conditions apply." })
export class RedPacketFilter {
  @Field(() => String, { nullable: true, description: "Case-insensitive part of the name." })
  search?: string | null;

  @Field(() => ID, { nullable: true })
  campaignId?: string | null;

  @Field(() => ID, { nullable: true })
  merchantAccountId?: string | null;

  @Field(() => [RedPacketStatusEnum], { nullable: true, description: "Default: ACTIVE only." })
  status?: RedPacketStatus[] | null;
}
