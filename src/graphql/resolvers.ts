import type { NonEmptyArray } from "type-graphql";
import { CampaignResolver } from "../modules/campaigns/campaign.resolver.js";
import { NodeResolver } from "./node.resolver.js";
import { MerchantAccountResolver } from "../modules/merchants/merchant-account.resolver.js";

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [NodeResolver, CampaignResolver, MerchantAccountResolver];
