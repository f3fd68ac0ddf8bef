import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import type { RequestContext } from "../../graphql/context.js";
import { FenScalar } from "../../graphql/scalars/fen.js";
import { UserError } from "../../graphql/user-error.js";
import { Campaign } from "../campaigns/campaign.type.js";
import { Customer } from "../customers/customer.type.js";
import { MerchantAccount } from "../merchants/merchant-account.type.js";
import { productLoaders } from "../products/product.loaders.js";
import { Product } from "../products/product.type.js";
import { checkout } from "./checkout.service.js";
import { isPaidStatus, refundCountsAgainstOrder } from "./order-status.js";
import { CheckoutInput, OrderFilter, OrderSortInput, RefundOrderInput } from "./order.inputs.js";
import { orderLoaders } from "./order.loaders.js";
import { confirmPayment, getOrder, searchOrders } from "./order.service.js";
import { Order, OrderConnection, OrderPromotion, OrderRefund, RequestPayment } from "./order.type.js";
import { refundOrder } from "./refund.service.js";

@ObjectType()
class CheckoutPayload {
  @Field(() => Order, { nullable: true })
  order!: Order | null;

  @Field(() => RequestPayment, { nullable: true, description: "Pass to the page's payment call while the order waits for payment." })
  payment!: RequestPayment | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
class ConfirmPaymentPayload {
  @Field(() => Order, { nullable: true })
  order!: Order | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
class RefundOrderPayload {
  @Field(() => OrderRefund, { nullable: true })
  refund!: OrderRefund | null;

  @Field(() => Order, { nullable: true })
  order!: Order | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver(() => Order)
export class OrderResolver {
  @Authorized(Audience.staffRead)
  @Query(() => OrderConnection, { description: "Orders of the tenant's products, newest first unless sorted otherwise." })
  orders(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => OrderFilter, { nullable: true }) filter: OrderFilter | null,
    @Arg("sort", () => OrderSortInput, { nullable: true }) sort: OrderSortInput | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    return searchOrders(ctx, filter ?? {}, sort, first, after);
  }

  @Authorized(Audience.staffRead)
  @Query(() => Order, { nullable: true })
  order(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return getOrder(ctx, id);
  }

  @Authorized(Audience.customer)
  @Mutation(() => CheckoutPayload, { description: "Order a product from a page and get the signed parameters to pay for it." })
  checkout(@Ctx() ctx: RequestContext, @Arg("input", () => CheckoutInput) input: CheckoutInput) {
    return checkout(ctx, input);
  }

  @Authorized(Audience.customer)
  @Mutation(() => ConfirmPaymentPayload, { description: "Tell the server the page finished paying; it asks WeChat Pay for the result." })
  confirmPayment(@Ctx() ctx: RequestContext, @Arg("orderId", () => ID) orderId: string) {
    return confirmPayment(ctx, orderId);
  }

  @Authorized(Audience.marketing)
  @Mutation(() => RefundOrderPayload, { description: "Refund part or all of a paid order through WeChat Pay." })
  refundOrder(@Ctx() ctx: RequestContext, @Arg("input", () => RefundOrderInput) input: RefundOrderInput) {
    return refundOrder(ctx, input);
  }

  @FieldResolver(() => Product, { nullable: true, description: "The product as it is now; productName keeps the name at ordering time." })
  async product(@Root() order: Order, @Ctx() ctx: RequestContext): Promise<Product | null> {
    const row = await productLoaders(ctx).productById.load(order.productRowId);
    return row ? Product.fromRow(row, ctx.services.publicBaseUrl()) : null;
  }

  @FieldResolver(() => Customer, { nullable: true, description: "The WeChat user who placed the order." })
  async customer(@Root() order: Order, @Ctx() ctx: RequestContext): Promise<Customer | null> {
    const row = await orderLoaders(ctx).customerById.load(order.customerRowId);
    return row ? Customer.fromRow(row) : null;
  }

  @FieldResolver(() => Campaign, { nullable: true })
  async campaign(@Root() order: Order, @Ctx() ctx: RequestContext): Promise<Campaign | null> {
    if (!order.campaignRowId) return null;
    const row = await productLoaders(ctx).campaignById.load(order.campaignRowId);
    return row ? Campaign.fromRow(row) : null;
  }

  @Authorized(Audience.staffRead)
  @FieldResolver(() => MerchantAccount, { nullable: true })
  async merchantAccount(@Root() order: Order, @Ctx() ctx: RequestContext): Promise<MerchantAccount | null> {
    const row = await productLoaders(ctx).merchantAccountById.load(order.merchantAccountRowId);
    return row ? MerchantAccount.fromRow(row) : null;
  }

  @FieldResolver(() => [OrderPromotion], { description: "Vouchers deducted from the payment." })
  async promotions(@Root() order: Order, @Ctx() ctx: RequestContext): Promise<OrderPromotion[]> {
    const rows = await orderLoaders(ctx).promotionsByOrderId.load(order.rowId);
    return rows.map(OrderPromotion.fromRow);
  }

  @FieldResolver(() => [OrderRefund], { description: "Refunds, oldest first." })
  async refunds(@Root() order: Order, @Ctx() ctx: RequestContext): Promise<OrderRefund[]> {
    const rows = await orderLoaders(ctx).refundsByOrderId.load(order.rowId);
    return rows.map(OrderRefund.fromRow);
  }

  @FieldResolver(() => FenScalar, { description: "What may still be refunded: the total less refunds done or in progress." })
  async refundableAmount(@Root() order: Order, @Ctx() ctx: RequestContext): Promise<number> {
    if (!isPaidStatus(order.status)) return 0;
    const rows = await orderLoaders(ctx).refundsByOrderId.load(order.rowId);
    const committed = rows.filter((row) => refundCountsAgainstOrder(row.status)).reduce((sum, row) => sum + row.amount, 0);
    return Math.max(0, order.totalAmount - committed);
  }
}
