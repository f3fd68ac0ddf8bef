import { Arg, Authorized, Ctx, Field, ID, Int, ObjectType, Resolver, Root, Subscription } from "type-graphql";
import { Audience } from "../auth/auth-checker.js";
import type { RequestContext } from "../graphql/context.js";
import { parseGlobalId, toGlobalId } from "../graphql/relay/global-id.js";
import type { JobProgressPayload } from "./job-progress.js";

@ObjectType({ description: "How far a bulk or export job has got." })
export class JobProgress {
  @Field(() => ID)
  jobId!: string;

  @Field(() => Int, { description: "Items finished so far." })
  processed!: number;

  @Field(() => Int, { description: "Items in the whole job." })
  total!: number;

  @Field(() => String, { description: "The job's status, such as RUNNING or SUCCEEDED." })
  status!: string;
}

@Resolver()
export class JobProgressResolver {
  @Authorized([...Audience.staffRead, ...Audience.service])
  @Subscription(() => JobProgress, {
    description: "Progress of a job as its worker reports it.",
    topics: "JOB_PROGRESS",
    topicId: ({ args }: { args: { jobId: string } }) => parseGlobalId("Job", args.jobId, "jobId"),
    filter: ({ payload, context }: { payload: JobProgressPayload; context: RequestContext }) =>
      payload.tenantId === context.actor?.tenantId,
  })
  jobProgress(
    @Root() payload: JobProgressPayload,
    @Ctx() _ctx: RequestContext,
    @Arg("jobId", () => ID) _jobId: string,
  ): JobProgress {
    return {
      jobId: toGlobalId("Job", payload.jobId),
      processed: payload.processed,
      total: payload.total,
      status: payload.status,
    };
  }
}
