import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { connectionType } from "../../graphql/relay/connection.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import type { FailureNoticeChannel, FailureNoticeRow, FailureNoticeStatus } from "./failure-notice.table.js";

export const FailureNoticeChannelEnum = { TEMPLATE_MESSAGE: "TEMPLATE_MESSAGE", SMS: "SMS" } as const;
registerEnumType(FailureNoticeChannelEnum, {
  name: "FailureNoticeChannel",
  description: "TEMPLATE_MESSAGE sends through the merchant account's official account; SMS sends to the customer's mobile number.",
});

export const FailureNoticeStatusEnum = { OUTBOX: "OUTBOX", SENT: "SENT", UNDELIVERABLE: "UNDELIVERABLE", FAILED: "FAILED" } as const;
registerEnumType(FailureNoticeStatusEnum, {
  name: "FailureNoticeStatus",
  description: [
    "OUTBOX: waiting in the outbox (where notices stay when no gateway is configured).",
    "SENT: a gateway accepted it. UNDELIVERABLE: the channel cannot reach this customer (statusReason says why).",
    "FAILED: the gateway kept rejecting it.",
  ].join(" "),
});

@ObjectType({ description: "The message telling a customer that their red packet could not be paid; one per failed grant." })
export class FailureNotice {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  grantId!: string;

  @Field(() => ID)
  redPacketId!: string;

  @Field(() => FailureNoticeChannelEnum)
  channel!: FailureNoticeChannel;

  @Field(() => String)
  appid!: string;

  @Field(() => String)
  openid!: string;

  @Field(() => String, { nullable: true })
  mobile!: string | null;

  @Field(() => String)
  text!: string;

  @Field(() => FailureNoticeStatusEnum)
  status!: FailureNoticeStatus;

  @Field(() => String, { nullable: true, description: "Why the notice is undeliverable or failed, such as NO_MOBILE." })
  statusReason!: string | null;

  @Field(() => String, { description: "The grant's failure code, such as DAILY_AMOUNT_LIMIT." })
  failureCode!: string;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  sentAt!: Date | null;

  static fromRow(row: FailureNoticeRow): FailureNotice {
    return {
      id: toGlobalId("FailureNotice", row.id),
      grantId: toGlobalId("RedPacketGrant", row.grantId),
      redPacketId: toGlobalId("RedPacket", row.redPacketId),
      channel: row.channel,
      appid: row.appid,
      openid: row.openid,
      mobile: row.mobile,
      text: row.text,
      status: row.status,
      statusReason: row.statusReason,
      failureCode: row.failureCode,
      createdAt: row.createdAt,
      sentAt: row.sentAt,
    };
  }
}

export const FailureNoticeConnection = connectionType("FailureNotice", FailureNotice);

@InputType({ description: "Conditions a notice must meet; all given conditions apply." })
export class FailureNoticeFilter {
  @Field(() => ID, { nullable: true })
  redPacketId?: string | null;

  @Field(() => ID, { nullable: true })
  grantId?: string | null;

  @Field(() => [FailureNoticeStatusEnum], { nullable: true })
  status?: FailureNoticeStatus[] | null;
}
