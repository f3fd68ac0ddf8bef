import { Field, InputType, ObjectType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { UserError } from "../../graphql/user-error.js";
import type { FailureNoticeChannel } from "./failure-notice.table.js";
import { FailureNoticeChannelEnum } from "./failure-notice.type.js";
import type { NoticeChannelSettingRow } from "./notice-channel.table.js";

@ObjectType({ description: "The gateway that delivers one channel's failure notices for this tenant. The signing secret is never returned." })
export class NoticeChannelSetting {
  @Field(() => FailureNoticeChannelEnum)
  channel!: FailureNoticeChannel;

  @Field(() => String, { description: "The messaging gateway that receives each notice as a signed JSON POST." })
  endpointUrl!: string;

  @Field(() => String, { nullable: true, description: "Template id of the official account's template library; TEMPLATE_MESSAGE only." })
  templateId!: string | null;

  @Field(() => String, { description: "First 16 hex characters of the secret's SHA-256, to tell which secret is set." })
  secretFingerprint!: string;

  @Field(() => Boolean, { description: "When false, this channel's notices stay in the outbox." })
  enabled!: boolean;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;

  static fromRow(row: NoticeChannelSettingRow): NoticeChannelSetting {
    return {
      channel: row.channel,
      endpointUrl: row.endpointUrl,
      templateId: row.templateId,
      secretFingerprint: row.secretFingerprint,
      enabled: row.enabled,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}

@InputType({ description: "Where one channel's failure notices go; replaces the channel's previous setting." })
export class SetNoticeChannelInput {
  @Field(() => FailureNoticeChannelEnum)
  channel!: FailureNoticeChannel;

  @Field(() => String, { description: "https:// URL of the messaging gateway; http:// is accepted only on a loopback address." })
  endpointUrl!: string;

  @Field(() => String, { nullable: true, description: "Required for TEMPLATE_MESSAGE." })
  templateId?: string | null;

  @Field(() => String, { description: "At least 16 characters; signs each request with HMAC-SHA256. Stored encrypted, never shown again." })
  signingSecret!: string;

  @Field(() => Boolean)
  enabled!: boolean;
}

@ObjectType()
export class SetNoticeChannelPayload {
  @Field(() => NoticeChannelSetting, { nullable: true })
  noticeChannel!: NoticeChannelSetting | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
