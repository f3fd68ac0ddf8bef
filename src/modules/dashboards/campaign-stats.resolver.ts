import { Arg, Authorized, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import type { RequestContext } from "../../graphql/context.js";
import { Campaign } from "../campaigns/campaign.type.js";
import { getCampaignDays, getCampaignStats } from "./campaign-stats.service.js";
import { CampaignDayStats, CampaignStats } from "./campaign-stats.type.js";

@Resolver(() => Campaign)
export class CampaignStatsFieldResolver {
  @Authorized(Audience.analytics)
  @FieldResolver(() => CampaignStats, { description: "Dashboard figures counted from the campaign's customer events." })
  stats(@Root() campaign: Campaign, @Ctx() ctx: RequestContext): Promise<CampaignStats> {
    return getCampaignStats(ctx, campaign.rowId);
  }
}

@Resolver(() => CampaignStats)
export class CampaignStatsResolver {
  @FieldResolver(() => [CampaignDayStats], {
    description:
      "Figures per local day in the tenant's time zone, oldest first, from the first to the last day with events. Days without events are zeros.",
  })
  daily(
    @Root() stats: CampaignStats,
    @Ctx() ctx: RequestContext,
    @Arg("days", () => Int, { defaultValue: 90, description: "Latest days to return, 1 to 366." }) days: number,
  ): Promise<CampaignDayStats[]> {
    return getCampaignDays(ctx, stats.campaignRowId, days);
  }
}
