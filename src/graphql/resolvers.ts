import type { NonEmptyArray } from "type-graphql";
import { CampaignResolver } from "../modules/campaigns/campaign.resolver.js";
import { NodeResolver } from "./node.resolver.js";

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [NodeResolver, CampaignResolver];
