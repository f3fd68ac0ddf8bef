import { Arg, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import type { RequestContext } from "../../graphql/context.js";
import { UserError } from "../../graphql/user-error.js";
import { Job } from "../jobs/job.type.js";
import { ClaimVoucherInput, IssueVouchersInput, RegisterVoucherBatchInput, VoucherBatchFilter } from "./voucher.inputs.js";
import { getVoucherBatch, registerVoucherBatch, searchVoucherBatches, syncVoucherBatch } from "./voucher-batch.service.js";
import { VoucherBatch, VoucherBatchConnection } from "./voucher-batch.type.js";
import { claimVoucher, getVoucherModuleView, saveVoucherModule } from "./voucher-claim.service.js";
import { ClaimVoucherPayload, SaveVoucherModuleInput, VoucherModuleSettings, VoucherModuleView } from "./voucher-module.type.js";
import { startVoucherIssueJob } from "./voucher-workflow.service.js";

@ObjectType()
class VoucherBatchPayload {
  @Field(() => VoucherBatch, { nullable: true })
  voucherBatch!: VoucherBatch | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
class SaveVoucherModulePayload {
  @Field(() => VoucherModuleSettings, { nullable: true })
  voucherModule!: VoucherModuleSettings | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
class IssueVouchersPayload {
  @Field(() => Job, { description: "The durable job; poll job(id) or subscribe to jobProgress for progress." })
  job!: Job;
}

@Resolver(() => VoucherBatch)
export class VoucherResolver {
  @Authorized(Audience.staffRead)
  @Query(() => VoucherBatchConnection)
  voucherBatches(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => VoucherBatchFilter, { nullable: true }) filter: VoucherBatchFilter | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    return searchVoucherBatches(ctx, filter ?? {}, first, after);
  }

  @Authorized(Audience.staffRead)
  @Query(() => VoucherBatch, { nullable: true })
  voucherBatch(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return getVoucherBatch(ctx, id);
  }

  @Authorized(Audience.marketing)
  @Mutation(() => VoucherBatchPayload, { description: "Register a batch created on the WeChat Pay merchant platform; WeChat Pay is asked for it first." })
  registerVoucherBatch(@Ctx() ctx: RequestContext, @Arg("input", () => RegisterVoucherBatchInput) input: RegisterVoucherBatchInput) {
    return registerVoucherBatch(ctx, input);
  }

  @Authorized(Audience.marketing)
  @Mutation(() => VoucherBatchPayload, { description: "Refresh a batch from WeChat Pay now." })
  syncVoucherBatch(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return syncVoucherBatch(ctx, id);
  }

  @Authorized(Audience.marketing)
  @Mutation(() => SaveVoucherModulePayload, { description: "Save a page's coupon module settings from the page editor." })
  saveVoucherModule(@Ctx() ctx: RequestContext, @Arg("input", () => SaveVoucherModuleInput) input: SaveVoucherModuleInput) {
    return saveVoucherModule(ctx, input);
  }

  @Authorized([...Audience.staffRead, ...Audience.customer])
  @Query(() => VoucherModuleView, { nullable: true, description: "A coupon module as the page runtime shows it." })
  voucherModule(
    @Ctx() ctx: RequestContext,
    @Arg("pageId", () => String) pageId: string,
    @Arg("moduleKey", () => String) moduleKey: string,
  ) {
    return getVoucherModuleView(ctx, pageId, moduleKey);
  }

  @Authorized(Audience.customer)
  @Mutation(() => ClaimVoucherPayload, { description: "A customer claims the voucher of a page's coupon module." })
  claimVoucher(@Ctx() ctx: RequestContext, @Arg("input", () => ClaimVoucherInput) input: ClaimVoucherInput) {
    return claimVoucher(ctx, input);
  }

  @Authorized(Audience.service)
  @Mutation(() => IssueVouchersPayload, { description: "A workflow sends a batch to a list of customers as a durable job." })
  async issueVouchers(@Ctx() ctx: RequestContext, @Arg("input", () => IssueVouchersInput) input: IssueVouchersInput) {
    return { job: Job.fromRow(await startVoucherIssueJob(ctx, input)) };
  }
}
