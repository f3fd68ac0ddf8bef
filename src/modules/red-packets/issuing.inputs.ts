import { Field, ID, InputType } from "type-graphql";
import { RedPacketGrantStatusEnum } from "./grant.type.js";
import type { GrantStatus } from "./red-packet.tables.js";

@InputType({ description: "A WeChat user to pay: openid under appid, and a mobile number for SMS notices." })
export class RedPacketRecipientInput {
  @Field(() => String)
  appid!: string;

  @Field(() => String)
  openid!: string;

  @Field(() => String, { nullable: true, description: "Mainland mobile number; +86, spaces and dashes are accepted." })
  mobile?: string | null;
}

@InputType()
export class StartRedPacketSendInput {
  @Field(() => ID)
  redPacketId!: string;

  @Field(() => String, { description: "The workflow run's key: the same key returns the same job instead of paying again." })
  idempotencyKey!: string;

  @Field(() => [RedPacketRecipientInput], { description: "Customers in the order they are paid; at most 50000 per send." })
  customers!: RedPacketRecipientInput[];

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: "Only predict what the quotas allow; pay nothing and start no job." })
  dryRun?: boolean;
}

@InputType({ description: "A single grant; the same idempotency key always returns the same grant." })
export class AwardRedPacketPrizeInput {
  @Field(() => ID)
  redPacketId!: string;

  @Field(() => RedPacketRecipientInput)
  customer!: RedPacketRecipientInput;

  @Field(() => String, { description: "The lucky draw's prize award id, or another key unique to this award." })
  idempotencyKey!: string;
}

@InputType({ description: "A single grant; the same idempotency key always returns the same grant." })
export class IssueRedPacketForFormInput {
  @Field(() => ID)
  redPacketId!: string;

  @Field(() => RedPacketRecipientInput)
  customer!: RedPacketRecipientInput;

  @Field(() => String, { description: "The form submission id, or another key unique to this submission." })
  idempotencyKey!: string;
}

@InputType({ description: "Conditions a grant must meet; all given conditions apply." })
export class RedPacketGrantFilter {
  @Field(() => ID, { nullable: true })
  redPacketId?: string | null;

  @Field(() => ID, { nullable: true, description: "The Job id of a workflow send." })
  jobId?: string | null;

  @Field(() => [RedPacketGrantStatusEnum], { nullable: true })
  status?: GrantStatus[] | null;

  @Field(() => String, { nullable: true })
  openid?: string | null;
}
