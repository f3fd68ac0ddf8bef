import { Arg, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver, Root, Subscription } from "type-graphql";
import type { RequestContext } from "../../graphql/context.js";
import { UserError } from "../../graphql/user-error.js";
import { Audience } from "../../auth/auth-checker.js";
import { parseGlobalId } from "../../graphql/relay/global-id.js";
import { CampaignFilter, CreateCampaignInput, UpdateCampaignInput } from "./campaign.inputs.js";
import { Campaign, CampaignConnection } from "./campaign.type.js";
import { createCampaign, getCampaign, getCampaignByExternalId, searchCampaigns, updateCampaign } from "./campaign.service.js";
import { findCampaignById } from "./campaign.repository.js";
import { TenantScope } from "../../db/tenant-scope.js";

@ObjectType()
class CreateCampaignPayload {
  @Field(() => Campaign, { nullable: true })
  campaign!: Campaign | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
class UpdateCampaignPayload {
  @Field(() => Campaign, { nullable: true })
  campaign!: Campaign | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

interface CampaignUpdatedEvent {
  tenantId: string;
  campaignId: string;
}

@Resolver(() => Campaign)
export class CampaignResolver {
  @Authorized(Audience.staffRead)
  @Query(() => CampaignConnection, { description: "Campaigns of the tenant, newest first." })
  campaigns(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => CampaignFilter, { nullable: true }) filter: CampaignFilter | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    return searchCampaigns(ctx, filter ?? {}, first, after);
  }

  @Authorized(Audience.staffRead)
  @Query(() => Campaign, { nullable: true })
  campaign(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return getCampaign(ctx, id);
  }

  @Authorized([...Audience.staffRead, ...Audience.service])
  @Query(() => Campaign, { nullable: true, description: "A campaign by its id in the wider marketing platform." })
  campaignByExternalId(@Ctx() ctx: RequestContext, @Arg("externalId", () => String) externalId: string) {
    return getCampaignByExternalId(ctx, externalId);
  }

  @Authorized(Audience.marketing)
  @Mutation(() => CreateCampaignPayload)
  createCampaign(@Ctx() ctx: RequestContext, @Arg("input", () => CreateCampaignInput) input: CreateCampaignInput) {
    return createCampaign(ctx, input);
  }

  @Authorized(Audience.marketing)
  @Mutation(() => UpdateCampaignPayload)
  updateCampaign(@Ctx() ctx: RequestContext, @Arg("input", () => UpdateCampaignInput) input: UpdateCampaignInput) {
    return updateCampaign(ctx, input);
  }

  @Authorized(Audience.staffRead)
  @Subscription(() => Campaign, {
    nullable: true,
    description: "Fires after a campaign's settings change.",
    topics: "CAMPAIGN_UPDATED",
    topicId: ({ args }: { args: { campaignId: string } }) => parseGlobalId("Campaign", args.campaignId, "campaignId"),
    filter: ({ payload, context }: { payload: CampaignUpdatedEvent; context: RequestContext }) =>
      payload.tenantId === context.actor?.tenantId,
  })
  async campaignUpdated(
    @Root() event: CampaignUpdatedEvent,
    @Ctx() ctx: RequestContext,
    @Arg("campaignId", () => ID) _campaignId: string,
  ): Promise<Campaign | null> {
    const row = await findCampaignById(new TenantScope(event.tenantId, ctx.services.db), event.campaignId);
    return row ? Campaign.fromRow(row) : null;
  }
}
