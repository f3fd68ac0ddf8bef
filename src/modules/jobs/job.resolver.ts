import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { parseGlobalId } from "../../graphql/relay/global-id.js";
import { decodeCursor, pageSize, toConnection } from "../../graphql/relay/pagination.js";
import { countItemOutcomes, countJobItems, findJob, listJobItems } from "./job.repository.js";
import { Job, JobItem, JobItemConnection, JobItemOutcomeEnum, JobOutcomeCount } from "./job.type.js";

const JOB_READERS = [...Audience.staffRead, ...Audience.service];

@Resolver(() => Job)
export class JobResolver {
  @Authorized(JOB_READERS)
  @Query(() => Job, { nullable: true, description: "A background job of the tenant, with its progress." })
  async job(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string): Promise<Job | null> {
    const row = await findJob(tenantScope(ctx), parseGlobalId("Job", id));
    return row ? Job.fromRow(row) : null;
  }

  @FieldResolver(() => [JobOutcomeCount], { description: "Finished items per outcome." })
  async outcomes(@Root() job: Job, @Ctx() ctx: RequestContext): Promise<JobOutcomeCount[]> {
    const counts = await countItemOutcomes(ctx.services.db, job.rowId);
    return Object.entries(counts).map(([outcome, count]) => ({ outcome, count }));
  }

  @FieldResolver(() => JobItemConnection, { description: "Items in submission order, optionally with one outcome, for branching." })
  async items(
    @Root() job: Job,
    @Ctx() ctx: RequestContext,
    @Arg("outcome", () => JobItemOutcomeEnum, { nullable: true }) outcome: string | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    const size = pageSize(first, 1000);
    const cursor = after ? decodeCursor(after) : undefined;
    const afterPosition = cursor ? Number(cursor.key) : -1;
    const [rows, total] = await Promise.all([
      listJobItems(ctx.services.db, job.rowId, outcome, afterPosition, size + 1),
      countJobItems(ctx.services.db, job.rowId, outcome),
    ]);
    return toConnection(rows, size, total, cursor !== undefined, (row) => ({ key: row.position, id: job.rowId }), JobItem.fromRow);
  }
}
