import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver, Root, Subscription } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import type { RequestContext } from "../../graphql/context.js";
import { parseGlobalId, toGlobalId } from "../../graphql/relay/global-id.js";
import { UserError } from "../../graphql/user-error.js";
import type { JobStatus } from "../jobs/job.tables.js";
import { OrderFilter, OrderSortInput } from "../orders/order.inputs.js";
import type { JobProgressPayload } from "../../realtime/job-progress.js";
import type { ExportFormat } from "./export-writers.js";
import { getOrderExport, startOrderExport } from "./order-export.service.js";
import { ExportFormatEnum, OrderExport, OrderExportProgress } from "./order-export.type.js";

@InputType()
class ExportOrdersInput {
  @Field(() => OrderFilter, { nullable: true })
  filter?: OrderFilter | null;

  @Field(() => OrderSortInput, { nullable: true })
  sort?: OrderSortInput | null;

  @Field(() => ExportFormatEnum)
  format!: ExportFormat;

  @Field(() => String, { description: "Idempotency key (1–64 of A-Z a-z 0-9 - _ . :): repeating it returns the same export." })
  requestId!: string;
}

@ObjectType()
class ExportOrdersPayload {
  @Field(() => OrderExport, { nullable: true })
  export!: OrderExport | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver(() => OrderExport)
export class OrderExportResolver {
  @Authorized(Audience.staffRead)
  @Mutation(() => ExportOrdersPayload, { description: "Write the orders matching a filter to a CSV or XLSX file in the background." })
  exportOrders(@Ctx() ctx: RequestContext, @Arg("input", () => ExportOrdersInput) input: ExportOrdersInput) {
    return startOrderExport(ctx, input);
  }

  @Authorized(Audience.staffRead)
  @Query(() => OrderExport, { nullable: true })
  orderExport(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return getOrderExport(ctx, id);
  }

  @Authorized(Audience.staffRead)
  @Subscription(() => OrderExportProgress, {
    description: "Fires as an order export writes rows and when it finishes.",
    topics: "JOB_PROGRESS",
    topicId: ({ args }: { args: { id: string } }) => parseGlobalId("OrderExport", args.id, "id"),
    filter: ({ payload, context }: { payload: JobProgressPayload; context: RequestContext }) => payload.tenantId === context.actor?.tenantId,
  })
  orderExportProgress(@Root() progress: JobProgressPayload, @Arg("id", () => ID) _id: string): OrderExportProgress {
    return {
      exportId: toGlobalId("OrderExport", progress.jobId),
      status: progress.status as JobStatus,
      processedRows: progress.processed,
      totalRows: progress.total,
    };
  }
}
