import { Field, Int, ObjectType } from "type-graphql";
import { UserError } from "../../graphql/user-error.js";
import { Job } from "../jobs/job.type.js";
import { RedPacketGrant } from "./grant.type.js";
import { RedPacketLimitEnum, RedPacketRemaining } from "./red-packet.type.js";
import type { QuotaLimitKind } from "./red-packet.tables.js";

@ObjectType({ description: "A customer of a dry run who would not be paid because a limit runs out first." })
export class RedPacketDryRunCustomer {
  @Field(() => Int, { description: "Position in the submitted list, from 0." })
  position!: number;

  @Field(() => String)
  appid!: string;

  @Field(() => String)
  openid!: string;

  @Field(() => Boolean, {
    description: "True when the limit runs out even if every grant before draws the minimum amount; false when it depends on the random amounts.",
  })
  certain!: boolean;
}

@ObjectType({
  description:
    "What a send would do against the quotas left today, in list order. WeChat Pay's own limits (per customer and per merchant) are not predicted.",
})
export class RedPacketSendDryRun {
  @Field(() => Int)
  customers!: number;

  @Field(() => Int, { description: "Grants that fit whatever amounts are drawn (all at the maximum amount)." })
  guaranteedGrants!: number;

  @Field(() => Int, { description: "Grants that fit at best (all at the minimum amount); equal to guaranteedGrants for a fixed amount." })
  possibleGrants!: number;

  @Field(() => RedPacketLimitEnum, { nullable: true, description: "The limit that runs out first, if one does." })
  bindingLimit!: QuotaLimitKind | null;

  @Field(() => RedPacketRemaining)
  remaining!: RedPacketRemaining;

  @Field(() => Int, { description: "Customers who may hit a limit (from position guaranteedGrants on)." })
  limitedCount!: number;

  @Field(() => [RedPacketDryRunCustomer], { description: "The first 1000 of those customers." })
  limitedCustomers!: RedPacketDryRunCustomer[];
}

@ObjectType()
export class StartRedPacketSendPayload {
  @Field(() => Job, {
    nullable: true,
    description: "The durable job: poll job(id) (items carry ISSUED, LIMIT_REACHED or FAILED per customer) or subscribe to jobProgress.",
  })
  job!: Job | null;

  @Field(() => RedPacketSendDryRun, { nullable: true, description: "Set for a dry run instead of a job." })
  dryRun!: RedPacketSendDryRun | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class RedPacketGrantPayload {
  @Field(() => RedPacketGrant, { nullable: true })
  grant!: RedPacketGrant | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
