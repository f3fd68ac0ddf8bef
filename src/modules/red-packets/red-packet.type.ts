import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { Node } from "../../graphql/relay/node.js";
import { connectionType } from "../../graphql/relay/connection.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import { FenScalar } from "../../graphql/scalars/fen.js";
import { FailureNoticeChannelEnum } from "../notices/failure-notice.type.js";
import { remainingQuota, type QuotaLimits, type QuotaUsage } from "./quota.js";
import type {
  AmountMode,
  NoticeChannel,
  QuotaLimitKind,
  RedPacketDailyCounterRow,
  RedPacketRow,
  RedPacketSceneId,
  RedPacketStatus,
} from "./red-packet.tables.js";

export const RedPacketAmountModeEnum = { FIXED: "FIXED", RANDOM: "RANDOM" } as const;
registerEnumType(RedPacketAmountModeEnum, {
  name: "RedPacketAmountMode",
  description: "FIXED pays the same amount to everyone; RANDOM draws each grant's amount once, uniformly between min and max.",
});

export const RedPacketSceneEnum = {
  PRODUCT_1: "PRODUCT_1",
  PRODUCT_2: "PRODUCT_2",
  PRODUCT_3: "PRODUCT_3",
  PRODUCT_4: "PRODUCT_4",
  PRODUCT_5: "PRODUCT_5",
  PRODUCT_6: "PRODUCT_6",
  PRODUCT_7: "PRODUCT_7",
  PRODUCT_8: "PRODUCT_8",
} as const;
registerEnumType(RedPacketSceneEnum, {
  name: "RedPacketScene",
  description:
    "WeChat Pay scene_id: PRODUCT_1 商品促销, PRODUCT_2 抽奖, PRODUCT_3 虚拟物品兑奖, PRODUCT_4 企业内部福利, PRODUCT_5 渠道分润, PRODUCT_6 保险回馈, PRODUCT_7 彩票派奖, PRODUCT_8 税务刮奖. Required for amounts below 100 or above 20000 fen.",
});

export const RedPacketStatusEnum = { ACTIVE: "ACTIVE", DELETED: "DELETED" } as const;
registerEnumType(RedPacketStatusEnum, {
  name: "RedPacketStatus",
  description: "DELETED red packets accept no new grants; grants already in flight finish and stay on record.",
});

export const RedPacketLimitEnum = {
  TOTAL_COUNT: "TOTAL_COUNT",
  TOTAL_AMOUNT: "TOTAL_AMOUNT",
  DAILY_COUNT: "DAILY_COUNT",
  DAILY_AMOUNT: "DAILY_AMOUNT",
} as const;
registerEnumType(RedPacketLimitEnum, { name: "RedPacketLimit", description: "One of a red packet's four issue limits." });

@ObjectType({ description: "How much each grant pays, in fen." })
export class RedPacketAmount {
  @Field(() => RedPacketAmountModeEnum)
  mode!: AmountMode;

  @Field(() => FenScalar, { nullable: true, description: "The amount of a FIXED red packet." })
  fixed!: number | null;

  @Field(() => FenScalar)
  min!: number;

  @Field(() => FenScalar)
  max!: number;
}

@ObjectType({ description: "Issue limits; null means unlimited. Daily limits reset at midnight in the tenant's time zone." })
export class RedPacketLimits {
  @Field(() => Int, { nullable: true })
  totalCount!: number | null;

  @Field(() => FenScalar, { nullable: true })
  totalAmount!: number | null;

  @Field(() => Int, { nullable: true })
  dailyCount!: number | null;

  @Field(() => FenScalar, { nullable: true })
  dailyAmount!: number | null;
}

@ObjectType({ description: "The notice a customer receives when their grant fails." })
export class FailureNoticeSettings {
  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => FailureNoticeChannelEnum, { nullable: true })
  channel!: NoticeChannel | null;

  @Field(() => String, { nullable: true })
  text!: string | null;
}

@ObjectType({ description: "Usage of one local day." })
export class RedPacketDayUsage {
  @Field(() => String, { description: "Local date in the tenant's time zone, YYYY-MM-DD." })
  date!: string;

  @Field(() => Int)
  issuedCount!: number;

  @Field(() => FenScalar)
  issuedAmount!: number;

  @Field(() => Int, { description: "Grants whose payout is in flight; their quota is held." })
  inFlightCount!: number;

  @Field(() => FenScalar)
  inFlightAmount!: number;
}

@ObjectType({ description: "What is left of each limit, counting grants issued and in flight; null for an unlimited one." })
export class RedPacketRemaining {
  @Field(() => Int, { nullable: true })
  totalCount!: number | null;

  @Field(() => FenScalar, { nullable: true })
  totalAmount!: number | null;

  @Field(() => Int, { nullable: true })
  dailyCount!: number | null;

  @Field(() => FenScalar, { nullable: true })
  dailyAmount!: number | null;
}

@ObjectType({
  description:
    "Counters for the card and list views. Issued grants include those claimed or refunded later; refunded red packets keep counting against the limits.",
})
export class RedPacketUsage {
  @Field(() => Int)
  issuedCount!: number;

  @Field(() => FenScalar)
  issuedAmount!: number;

  @Field(() => Int, { description: "Grants whose payout is in flight; their quota is held." })
  inFlightCount!: number;

  @Field(() => FenScalar)
  inFlightAmount!: number;

  @Field(() => Int, { description: "Cash red packets opened, or merchant transfers confirmed, by the customer." })
  claimedCount!: number;

  @Field(() => FenScalar)
  claimedAmount!: number;

  @Field(() => Int, { description: "Unclaimed red packets refunded after 24 hours, and transfers closed unconfirmed." })
  refundedCount!: number;

  @Field(() => FenScalar)
  refundedAmount!: number;

  @Field(() => Int)
  failedCount!: number;

  @Field(() => RedPacketDayUsage)
  today!: RedPacketDayUsage;

  @Field(() => RedPacketRemaining)
  remaining!: RedPacketRemaining;

  @Field(() => [RedPacketLimitEnum], { description: "Limits whose usage is at or above the warning threshold." })
  limitsAboveThreshold!: QuotaLimitKind[];
}

@ObjectType({
  implements: Node,
  description: [
    "A cash red packet (现金红包) setting and its counters.",
    "Once sending has started (sendingStartedAt is set), the amount, the merchant account and the campaign are frozen;",
    "limits may be raised or lowered, but not below what is already issued or in flight (today's, for daily limits);",
    "texts, scene, notices and the warning threshold may change and apply to new grants only.",
  ].join(" "),
})
export class RedPacket extends Node {
  readonly __typename = "RedPacket";
  rowId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => ID, { description: "Global id of the linked campaign." })
  campaignId!: string;

  @Field(() => ID, { description: "Global id of the paying merchant account." })
  merchantAccountId!: string;

  @Field(() => String, { description: "WeChat Pay act_name." })
  actName!: string;

  @Field(() => String, { description: "WeChat Pay send_name, shown to the customer." })
  sendName!: string;

  @Field(() => String, { description: "WeChat Pay wishing, shown to the customer." })
  wishing!: string;

  @Field(() => String, { nullable: true })
  remark!: string | null;

  @Field(() => RedPacketSceneEnum, { nullable: true })
  sceneId!: RedPacketSceneId | null;

  @Field(() => RedPacketAmount)
  amount!: RedPacketAmount;

  @Field(() => RedPacketLimits)
  limits!: RedPacketLimits;

  @Field(() => Int, { nullable: true, description: "Percentage of a limit whose crossing records a quota warning." })
  warningThresholdPercent!: number | null;

  @Field(() => FailureNoticeSettings)
  failureNotice!: FailureNoticeSettings;

  @Field(() => RedPacketStatusEnum)
  status!: RedPacketStatus;

  @Field(() => DateTimeResolver, { nullable: true })
  sendingStartedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  deletedAt!: Date | null;

  @Field(() => RedPacketUsage)
  usage!: RedPacketUsage;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;

  /** Build the node with today's counters (`today` is the tenant's local date, `daily` its row if any). */
  static fromRow(row: RedPacketRow, today: string, daily: RedPacketDailyCounterRow | undefined): RedPacket {
    const limits = limitsOf(row);
    const usage = usageOf(row, daily);
    const remaining = remainingQuota(limits, usage);

    return Object.assign(new RedPacket(), {
      id: toGlobalId("RedPacket", row.id),
      rowId: row.id,
      name: row.name,
      campaignId: toGlobalId("Campaign", row.campaignId),
      merchantAccountId: toGlobalId("MerchantAccount", row.merchantAccountId),
      actName: row.actName,
      sendName: row.sendName,
      wishing: row.wishing,
      remark: row.remark,
      sceneId: row.sceneId,
      amount: {
        mode: row.amountMode,
        fixed: row.amountMode === "FIXED" ? row.minAmount : null,
        min: row.minAmount,
        max: row.maxAmount,
      },
      limits,
      warningThresholdPercent: row.warningThresholdPercent,
      failureNotice: { enabled: row.failureNoticeEnabled, channel: row.failureNoticeChannel, text: row.failureNoticeText },
      status: row.status,
      sendingStartedAt: row.sendingStartedAt,
      deletedAt: row.deletedAt,
      usage: {
        issuedCount: row.issuedCount,
        issuedAmount: row.issuedAmount,
        inFlightCount: row.reservedCount,
        inFlightAmount: row.reservedAmount,
        claimedCount: row.claimedCount,
        claimedAmount: row.claimedAmount,
        refundedCount: row.refundedCount,
        refundedAmount: row.refundedAmount,
        failedCount: row.failedCount,
        today: {
          date: today,
          issuedCount: daily?.issuedCount ?? 0,
          issuedAmount: daily?.issuedAmount ?? 0,
          inFlightCount: daily?.reservedCount ?? 0,
          inFlightAmount: daily?.reservedAmount ?? 0,
        },
        remaining,
        limitsAboveThreshold: limitsAboveThreshold(limits, usage, row.warningThresholdPercent),
      },
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  }
}

export const RedPacketConnection = connectionType("RedPacket", RedPacket);

export function limitsOf(row: RedPacketRow): QuotaLimits {
  return {
    totalCount: row.totalCountLimit,
    totalAmount: row.totalAmountLimit,
    dailyCount: row.dailyCountLimit,
    dailyAmount: row.dailyAmountLimit,
  };
}

/** Usage that counts against the limits: reserved plus issued, in total and on the given day. */
export function usageOf(row: RedPacketRow, daily: RedPacketDailyCounterRow | undefined): QuotaUsage {
  return {
    totalCount: row.issuedCount + row.reservedCount,
    totalAmount: row.issuedAmount + row.reservedAmount,
    dailyCount: (daily?.issuedCount ?? 0) + (daily?.reservedCount ?? 0),
    dailyAmount: (daily?.issuedAmount ?? 0) + (daily?.reservedAmount ?? 0),
  };
}

function limitsAboveThreshold(limits: QuotaLimits, usage: QuotaUsage, thresholdPercent: number | null): QuotaLimitKind[] {
  if (thresholdPercent === null) return [];
  const pairs: [QuotaLimitKind, number | null, number][] = [
    ["TOTAL_COUNT", limits.totalCount, usage.totalCount],
    ["TOTAL_AMOUNT", limits.totalAmount, usage.totalAmount],
    ["DAILY_COUNT", limits.dailyCount, usage.dailyCount],
    ["DAILY_AMOUNT", limits.dailyAmount, usage.dailyAmount],
  ];
  return pairs.filter(([, limit, used]) => limit !== null && used * 100 >= thresholdPercent * limit).map(([kind]) => kind);
}
