import { Arg, Authorized, ID, Resolver, Root, Subscription } from "type-graphql";
import type { SubscribeResolverData } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import type { RequestContext } from "../../graphql/context.js";
import type { CampaignIssuancePayload } from "../../realtime/campaign-issuance.js";
import { subscribeToCampaignIssuance } from "./campaign-issuance.service.js";
import { CampaignIssuanceCounts } from "./campaign-stats.type.js";

@Resolver()
export class CampaignIssuanceResolver {
  @Authorized(Audience.staffRead)
  @Subscription(() => CampaignIssuanceCounts, {
    description:
      "A campaign's issuance counts: the current ones at once, then new ones as they change, at most a few per second.",
    subscribe: ({ args, context }: SubscribeResolverData<unknown, { campaignId: string }, RequestContext>) =>
      subscribeToCampaignIssuance(context, args.campaignId),
  })
  campaignIssuanceUpdated(
    @Root() payload: CampaignIssuancePayload,
    @Arg("campaignId", () => ID) _campaignId: string,
  ): CampaignIssuanceCounts {
    return CampaignIssuanceCounts.fromPayload(payload);
  }
}
