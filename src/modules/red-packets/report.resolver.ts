import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import type { RequestContext } from "../../graphql/context.js";
import { Job } from "../jobs/job.type.js";
import { QUOTA_WARNING_TOPIC, type QuotaWarningPayload } from "./quota-warnings.js";
import { startReconciliation } from "./reconciliation.js";
import { latestReconciliationRuns, searchMismatches, searchQuotaWarnings } from "./report.service.js";
import {
  RedPacketQuotaWarning,
  RedPacketQuotaWarningConnection,
  RedPacketReconciliationMismatchConnection,
  RedPacketReconciliationRun,
} from "./report.type.js";

@Resolver(() => RedPacketQuotaWarning)
export class RedPacketReportResolver {
  @Authorized(Audience.staffRead)
  @Query(() => RedPacketQuotaWarningConnection, { description: "Quota warnings, newest first." })
  redPacketQuotaWarnings(
    @Ctx() ctx: RequestContext,
    @Arg("redPacketId", () => ID, { nullable: true }) redPacketId: string | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    return searchQuotaWarnings(ctx, redPacketId, first, after);
  }

  @Authorized(Audience.staffRead)
  @Subscription(() => RedPacketQuotaWarning, {
    description: "Fires when a red packet of the tenant crosses its warning threshold.",
    topics: QUOTA_WARNING_TOPIC,
    topicId: ({ context }: { context: RequestContext }) => context.actor?.tenantId ?? "",
    filter: ({ payload, context }: { payload: QuotaWarningPayload; context: RequestContext }) => payload.tenantId === context.actor?.tenantId,
  })
  redPacketQuotaWarningRaised(@Root() payload: QuotaWarningPayload): RedPacketQuotaWarning {
    return RedPacketQuotaWarning.fromPayload(payload);
  }

  @Authorized(Audience.marketing)
  @Mutation(() => Job, { description: "Compare recorded grants with WeChat Pay now; poll job(id), then read the run and its mismatches." })
  reconcileRedPackets(@Ctx() ctx: RequestContext) {
    return startReconciliation(ctx);
  }

  @Authorized(Audience.staffRead)
  @Query(() => [RedPacketReconciliationRun], { description: "The latest reconciliation runs, newest first (an hourly job and manual ones)." })
  redPacketReconciliationRuns(@Ctx() ctx: RequestContext, @Arg("first", () => Int, { nullable: true }) first: number | null) {
    return latestReconciliationRuns(ctx, first);
  }

  @Authorized(Audience.staffRead)
  @Query(() => RedPacketReconciliationMismatchConnection, { description: "Differences between recorded grants and WeChat Pay, newest first." })
  redPacketReconciliationMismatches(
    @Ctx() ctx: RequestContext,
    @Arg("runId", () => ID, { nullable: true }) runId: string | null,
    @Arg("redPacketId", () => ID, { nullable: true }) redPacketId: string | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    return searchMismatches(ctx, { runId, redPacketId }, first, after);
  }
}
