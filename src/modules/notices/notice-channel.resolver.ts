import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import type { RequestContext } from "../../graphql/context.js";
import { listNoticeChannels, setNoticeChannel } from "./notice-channel.service.js";
import { NoticeChannelSetting, SetNoticeChannelInput, SetNoticeChannelPayload } from "./notice-channel.type.js";

@Resolver(() => NoticeChannelSetting)
export class NoticeChannelResolver {
  @Authorized(Audience.admin)
  @Query(() => [NoticeChannelSetting], { description: "The gateways configured for failure notices; a channel without one keeps its notices in the outbox." })
  noticeChannels(@Ctx() ctx: RequestContext) {
    return listNoticeChannels(ctx);
  }

  @Authorized(Audience.admin)
  @Mutation(() => SetNoticeChannelPayload, { description: "Send one channel's failure notices to the tenant's messaging gateway." })
  setNoticeChannel(@Ctx() ctx: RequestContext, @Arg("input", () => SetNoticeChannelInput) input: SetNoticeChannelInput) {
    return setNoticeChannel(ctx, input);
  }
}
