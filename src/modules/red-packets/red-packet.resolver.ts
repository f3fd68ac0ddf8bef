import { Arg, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import type { RequestContext } from "../../graphql/context.js";
import { UserError } from "../../graphql/user-error.js";
import { CreateRedPacketInput, RedPacketFilter, UpdateRedPacketInput } from "./red-packet.inputs.js";
import { createRedPacket, deleteRedPacket, getRedPacket, searchRedPackets, updateRedPacket } from "./red-packet.service.js";
import { RedPacket, RedPacketConnection } from "./red-packet.type.js";

@ObjectType()
class RedPacketPayload {
  @Field(() => RedPacket, { nullable: true })
  redPacket!: RedPacket | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver(() => RedPacket)
export class RedPacketResolver {
  @Authorized(Audience.staffRead)
  @Query(() => RedPacketConnection, { description: "Red packets of the tenant with their counters, newest first; ACTIVE only unless filtered." })
  redPackets(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => RedPacketFilter, { nullable: true }) filter: RedPacketFilter | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    return searchRedPackets(ctx, filter ?? {}, first, after);
  }

  @Authorized([...Audience.staffRead, ...Audience.service])
  @Query(() => RedPacket, { nullable: true })
  redPacket(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return getRedPacket(ctx, id);
  }

  @Authorized(Audience.marketing)
  @Mutation(() => RedPacketPayload, { description: "Create a cash red packet; settings are checked against WeChat Pay's rules for the merchant account." })
  createRedPacket(@Ctx() ctx: RequestContext, @Arg("input", () => CreateRedPacketInput) input: CreateRedPacketInput) {
    return createRedPacket(ctx, input);
  }

  @Authorized(Audience.marketing)
  @Mutation(() => RedPacketPayload, {
    description:
      "Change settings. After sending has started, amount, merchantAccountId and campaignId are frozen, and a limit may not go below what is issued or in flight.",
  })
  updateRedPacket(@Ctx() ctx: RequestContext, @Arg("input", () => UpdateRedPacketInput) input: UpdateRedPacketInput) {
    return updateRedPacket(ctx, input);
  }

  @Authorized(Audience.marketing)
  @Mutation(() => RedPacketPayload, { description: "Stop new grants; grants in flight finish and every grant stays on record." })
  deleteRedPacket(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return deleteRedPacket(ctx, id);
  }
}
