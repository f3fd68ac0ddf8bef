import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import type { RequestContext } from "../../graphql/context.js";
import { UserError } from "../../graphql/user-error.js";
import { Campaign } from "../campaigns/campaign.type.js";
import { MerchantAccount } from "../merchants/merchant-account.type.js";
import { CreateProductInput, ProductFilter, UpdateProductInput } from "./product.inputs.js";
import { productLoaders } from "./product.loaders.js";
import { createProduct, deleteProduct, getPageProducts, getProduct, searchProducts, updateProduct } from "./product.service.js";
import { PageProduct, Product, ProductConnection } from "./product.type.js";

@ObjectType()
class ProductPayload {
  @Field(() => Product, { nullable: true })
  product!: Product | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
class DeleteProductPayload {
  @Field(() => ID, { nullable: true })
  deletedProductId!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver(() => Product)
export class ProductResolver {
  @Authorized(Audience.staffRead)
  @Query(() => ProductConnection, { description: "Products of the tenant, newest first; deleted ones are left out." })
  products(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => ProductFilter, { nullable: true }) filter: ProductFilter | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    return searchProducts(ctx, filter ?? {}, first, after);
  }

  @Authorized(Audience.staffRead)
  @Query(() => Product, { nullable: true })
  product(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return getProduct(ctx, id);
  }

  @Authorized(Audience.customer)
  @Query(() => [PageProduct], {
    description: "Products for a page's product module: the on-sale ones among ids, in the order given (at most 100).",
  })
  productModule(@Ctx() ctx: RequestContext, @Arg("ids", () => [ID]) ids: string[]) {
    return getPageProducts(ctx, ids);
  }

  @Authorized(Audience.marketing)
  @Mutation(() => ProductPayload)
  createProduct(@Ctx() ctx: RequestContext, @Arg("input", () => CreateProductInput) input: CreateProductInput) {
    return createProduct(ctx, input);
  }

  @Authorized(Audience.marketing)
  @Mutation(() => ProductPayload)
  updateProduct(@Ctx() ctx: RequestContext, @Arg("input", () => UpdateProductInput) input: UpdateProductInput) {
    return updateProduct(ctx, input);
  }

  @Authorized(Audience.marketing)
  @Mutation(() => DeleteProductPayload, { description: "Remove a product from lists and pages; its orders keep showing it." })
  deleteProduct(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return deleteProduct(ctx, id);
  }

  @FieldResolver(() => MerchantAccount, { nullable: true, description: "The account that receives the payments." })
  async merchantAccount(@Root() product: Product, @Ctx() ctx: RequestContext): Promise<MerchantAccount | null> {
    const row = await productLoaders(ctx).merchantAccountById.load(product.merchantAccountRowId);
    return row ? MerchantAccount.fromRow(row) : null;
  }

  @FieldResolver(() => Campaign, { nullable: true })
  async campaign(@Root() product: Product, @Ctx() ctx: RequestContext): Promise<Campaign | null> {
    if (!product.campaignRowId) return null;
    const row = await productLoaders(ctx).campaignById.load(product.campaignRowId);
    return row ? Campaign.fromRow(row) : null;
  }
}
