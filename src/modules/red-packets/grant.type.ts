import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { Node } from "../../graphql/relay/node.js";
import { connectionType } from "../../graphql/relay/connection.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import { FenScalar } from "../../graphql/scalars/fen.js";
import { translate } from "../../i18n/messages.js";
import type { Locale } from "../../i18n/locale.js";
import { PayoutChannelEnum } from "../merchants/merchant-account.type.js";
import type { PayoutChannel } from "../merchants/merchant-account.table.js";
import { grantOutcome } from "./grant-settlement.js";
import { ownFailureKey } from "./failure-codes.js";
import type { GrantSource, GrantStatus, RedPacketGrantRow } from "./red-packet.tables.js";

export const RedPacketGrantStatusEnum = {
  RESERVED: "RESERVED",
  ISSUED: "ISSUED",
  CLAIMED: "CLAIMED",
  REFUNDED: "REFUNDED",
  FAILED: "FAILED",
} as const;
registerEnumType(RedPacketGrantStatusEnum, {
  name: "RedPacketGrantStatus",
  description: [
    "RESERVED: quota held and the payout in flight (retried with the same request number until WeChat Pay answers definitively).",
    "ISSUED: WeChat Pay accepted it; a cash red packet waits to be opened, a merchant transfer to be confirmed.",
    "CLAIMED: opened or confirmed. REFUNDED: unclaimed for 24 hours and returned to the merchant.",
    "FAILED: not paid; its quota was released.",
  ].join(" "),
});

export const RedPacketGrantSourceEnum = { WORKFLOW: "WORKFLOW", LUCKY_DRAW: "LUCKY_DRAW", FORM: "FORM" } as const;
registerEnumType(RedPacketGrantSourceEnum, { name: "RedPacketGrantSource" });

export const RedPacketGrantOutcomeEnum = {
  ISSUED: "ISSUED",
  LIMIT_REACHED: "LIMIT_REACHED",
  FAILED: "FAILED",
  PENDING: "PENDING",
} as const;
registerEnumType(RedPacketGrantOutcomeEnum, {
  name: "RedPacketGrantOutcome",
  description: "Branchable result for workflows: ISSUED, LIMIT_REACHED (a limit of ours or WeChat Pay's), FAILED, or PENDING while the payout is in flight.",
});

export type GrantOutcome = keyof typeof RedPacketGrantOutcomeEnum;

@ObjectType({ implements: Node, description: "One red packet for one customer." })
export class RedPacketGrant extends Node {
  readonly __typename = "RedPacketGrant";
  rowId!: string;

  @Field(() => ID)
  redPacketId!: string;

  @Field(() => String)
  appid!: string;

  @Field(() => String)
  openid!: string;

  @Field(() => RedPacketGrantSourceEnum)
  source!: GrantSource;

  @Field(() => PayoutChannelEnum)
  channel!: PayoutChannel;

  @Field(() => FenScalar, { description: "Drawn once for the grant; every retry pays this amount." })
  amount!: number;

  @Field(() => RedPacketGrantStatusEnum)
  status!: GrantStatus;

  @Field(() => RedPacketGrantOutcomeEnum)
  outcome!: GrantOutcome;

  @Field(() => String, { nullable: true, description: "mch_billno (cash red packet) or out_bill_no (merchant transfer), fixed before the first call." })
  requestNo!: string | null;

  @Field(() => String, { nullable: true, description: "WeChat Pay's id: detail_id or send_listid, or transfer_bill_no." })
  wechatId!: string | null;

  @Field(() => String, { nullable: true, description: "Last state WeChat Pay reported, such as SENT, RECEIVED, REFUND, WAIT_USER_CONFIRM or SUCCESS." })
  wechatState!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Why the grant failed or was refunded (TOTAL_COUNT_LIMIT, SENDNUM_LIMIT, OVERDUE_CLOSE, …); while RESERVED, the last error that postponed the payout.",
  })
  failureCode!: string | null;

  @Field(() => String, { nullable: true })
  failureMessage!: string | null;

  @Field(() => Boolean)
  limitReached!: boolean;

  @Field(() => Int)
  attempts!: number;

  @Field(() => ID, { nullable: true, description: "The Job of the workflow send that made the grant." })
  jobId!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  issuedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  claimedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  refundedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  failedAt!: Date | null;

  static fromRow(row: RedPacketGrantRow, locale: Locale): RedPacketGrant {
    return Object.assign(new RedPacketGrant(), {
      id: toGlobalId("RedPacketGrant", row.id),
      rowId: row.id,
      redPacketId: toGlobalId("RedPacket", row.redPacketId),
      appid: row.appid,
      openid: row.openid,
      source: row.source,
      channel: row.channel,
      amount: row.amount,
      status: row.status,
      outcome: grantOutcome(row),
      requestNo: row.requestNo,
      wechatId: row.wechatId,
      wechatState: row.wechatState,
      failureCode: row.failureCode,
      failureMessage: failureMessageOf(row, locale),
      limitReached: row.limitReached,
      attempts: row.attempts,
      jobId: row.jobId ? toGlobalId("Job", row.jobId) : null,
      createdAt: row.createdAt,
      issuedAt: row.issuedAt,
      claimedAt: row.claimedAt,
      refundedAt: row.refundedAt,
      failedAt: row.failedAt,
    });
  }
}

export const RedPacketGrantConnection = connectionType("RedPacketGrant", RedPacketGrant);

/** Our own failure codes in the caller's language; WeChat Pay's codes with WeChat Pay's own text. */
function failureMessageOf(row: RedPacketGrantRow, locale: Locale): string | null {
  if (!row.failureCode) return null;
  const key = ownFailureKey(row.failureCode);
  if (key) return translate(locale, key, { appid: row.appid });
  if (row.status === "FAILED") return translate(locale, "redPacket.failure.wechatPay", { code: row.failureCode, message: row.failureMessage ?? "" });
  return row.failureMessage;
}

@ObjectType({ description: "What the customer's page needs to open WeChat's transfer confirmation (requestMerchantTransfer)." })
export class RedPacketTransferConfirmation {
  @Field(() => ID)
  grantId!: string;

  @Field(() => FenScalar)
  amount!: number;

  @Field(() => String, { description: "mchId for requestMerchantTransfer." })
  mchId!: string;

  @Field(() => String, { description: "appId for requestMerchantTransfer: the AppID the transfer was made under." })
  appId!: string;

  @Field(() => String, { description: "package_info, to pass unchanged as `package`." })
  package!: string;

  @Field(() => String, { description: "Activity name shown with the transfer." })
  actName!: string;

  @Field(() => DateTimeResolver, { description: "WeChat Pay closes an unconfirmed transfer 24 hours after it was made." })
  expiresAt!: Date;
}
