import { Field, ID, InputType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { CampaignStatusEnum } from "./campaign.type.js";
import type { CampaignStatus } from "./campaign.table.js";

@InputType()
export class CreateCampaignInput {
  @Field(() => String)
  name!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  startsAt?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  endsAt?: Date | null;

  @Field(() => CampaignStatusEnum, { nullable: true, defaultValue: "DRAFT" })
  status?: CampaignStatus;

  @Field(() => String, { nullable: true, description: "Reference to the campaign in the wider platform; unique per tenant." })
  externalId?: string | null;
}

@InputType()
export class UpdateCampaignInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => DateTimeResolver, { nullable: true })
  startsAt?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  endsAt?: Date | null;

  @Field(() => CampaignStatusEnum, { nullable: true })
  status?: CampaignStatus | null;
}

@InputType({ description: "Conditions a campaign must meet; all given conditions apply." })
export class CampaignFilter {
  @Field(() => String, { nullable: true, description: "Case-insensitive part of the name." })
  search?: string | null;

  @Field(() => [CampaignStatusEnum], { nullable: true })
  status?: CampaignStatus[] | null;
}
