import { Arg, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import type { RequestContext } from "../../graphql/context.js";
import { UserError } from "../../graphql/user-error.js";
import { ConnectMerchantAccountInput, SetMerchantAccountStatusInput, UpdateMerchantAccountInput } from "./merchant-account.inputs.js";
import {
  connectMerchantAccount,
  getMerchantAccount,
  listMerchantAccounts,
  setMerchantAccountStatus,
  testMerchantConnection,
  updateMerchantAccount,
} from "./merchant-account.service.js";
import { MerchantAccount, MerchantAccountConnection, MerchantConnectionTest } from "./merchant-account.type.js";

@ObjectType()
class MerchantAccountPayload {
  @Field(() => MerchantAccount, { nullable: true })
  merchantAccount!: MerchantAccount | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver(() => MerchantAccount)
export class MerchantAccountResolver {
  @Authorized(Audience.marketing)
  @Query(() => MerchantAccountConnection)
  merchantAccounts(
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    return listMerchantAccounts(ctx, first, after);
  }

  @Authorized(Audience.marketing)
  @Query(() => MerchantAccount, { nullable: true })
  merchantAccount(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return getMerchantAccount(ctx, id);
  }

  @Authorized(Audience.admin)
  @Mutation(() => MerchantAccountPayload, { description: "Connect a WeChat Pay merchant account; its secrets are stored encrypted and never shown again." })
  connectMerchantAccount(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => ConnectMerchantAccountInput) input: ConnectMerchantAccountInput,
  ) {
    return connectMerchantAccount(ctx, input);
  }

  @Authorized(Audience.admin)
  @Mutation(() => MerchantAccountPayload, { description: "Rename, change capabilities, or replace all credentials." })
  updateMerchantAccount(@Ctx() ctx: RequestContext, @Arg("input", () => UpdateMerchantAccountInput) input: UpdateMerchantAccountInput) {
    return updateMerchantAccount(ctx, input);
  }

  @Authorized(Audience.admin)
  @Mutation(() => MerchantAccountPayload, { description: "Disable (nothing is issued from it) or enable again." })
  setMerchantAccountStatus(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => SetMerchantAccountStatusInput) input: SetMerchantAccountStatusInput,
  ) {
    return setMerchantAccountStatus(ctx, input);
  }

  @Authorized(Audience.admin)
  @Mutation(() => MerchantConnectionTest, { description: "Make real calls to WeChat Pay and explain each problem found." })
  testMerchantConnection(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return testMerchantConnection(ctx, id);
  }
}
