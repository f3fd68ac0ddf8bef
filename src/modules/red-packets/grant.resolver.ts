import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import type { RequestContext } from "../../graphql/context.js";
import {
  awardRedPacketPrize,
  getGrant,
  issueRedPacketForForm,
  myTransfersAwaitingConfirmation,
  retryRedPacketGrant,
  searchGrants,
} from "./grant.service.js";
import { RedPacketGrant, RedPacketGrantConnection, RedPacketTransferConfirmation } from "./grant.type.js";
import { AwardRedPacketPrizeInput, IssueRedPacketForFormInput, RedPacketGrantFilter, StartRedPacketSendInput } from "./issuing.inputs.js";
import { startRedPacketSend } from "./send-job.service.js";
import { RedPacketGrantPayload, StartRedPacketSendPayload } from "./send.type.js";

const GRANT_READERS = [...Audience.staffRead, ...Audience.service];

@Resolver(() => RedPacketGrant)
export class RedPacketGrantResolver {
  @Authorized(Audience.service)
  @Mutation(() => StartRedPacketSendPayload, {
    description:
      "A workflow's send to many customers, as a durable job; with dryRun, only the prediction. The same idempotency key returns the same job.",
  })
  startRedPacketSend(@Ctx() ctx: RequestContext, @Arg("input", () => StartRedPacketSendInput) input: StartRedPacketSendInput) {
    return startRedPacketSend(ctx, input);
  }

  @Authorized(Audience.service)
  @Mutation(() => RedPacketGrantPayload, { description: "A lucky draw's prize: one red packet for one customer." })
  awardRedPacketPrize(@Ctx() ctx: RequestContext, @Arg("input", () => AwardRedPacketPrizeInput) input: AwardRedPacketPrizeInput) {
    return awardRedPacketPrize(ctx, input);
  }

  @Authorized(Audience.service)
  @Mutation(() => RedPacketGrantPayload, { description: "A form's post-submission action: one red packet for the submitting customer." })
  issueRedPacketForForm(@Ctx() ctx: RequestContext, @Arg("input", () => IssueRedPacketForFormInput) input: IssueRedPacketForFormInput) {
    return issueRedPacketForForm(ctx, input);
  }

  @Authorized(Audience.marketing)
  @Mutation(() => RedPacketGrantPayload, {
    description: "Retry a grant whose payout is in flight now, with the same request number (after topping up the balance, say).",
  })
  retryRedPacketGrant(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return retryRedPacketGrant(ctx, id);
  }

  @Authorized(GRANT_READERS)
  @Query(() => RedPacketGrant, { nullable: true })
  redPacketGrant(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return getGrant(ctx, id);
  }

  @Authorized(GRANT_READERS)
  @Query(() => RedPacketGrantConnection, { description: "Grants, newest first." })
  redPacketGrants(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => RedPacketGrantFilter, { nullable: true }) filter: RedPacketGrantFilter | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    return searchGrants(ctx, filter ?? {}, first, after);
  }

  @Authorized(Audience.customer)
  @Query(() => [RedPacketTransferConfirmation], {
    description: "The signed-in customer's red packets paid by merchant transfer that wait for confirmation on the page.",
  })
  myRedPacketTransfers(@Ctx() ctx: RequestContext) {
    return myTransfersAwaitingConfirmation(ctx);
  }
}
