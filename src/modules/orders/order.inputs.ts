import { Field, ID, InputType, Int, registerEnumType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { FenScalar } from "../../graphql/scalars/fen.js";
import { OrderStatusEnum } from "./order.type.js";
import type { OrderStatus } from "./order.tables.js";
import type { OrderSortField, SortDirection } from "./order.repository.js";

export const OrderSortFieldEnum = { CREATED_AT: "CREATED_AT", TOTAL_AMOUNT: "TOTAL_AMOUNT" } as const;
registerEnumType(OrderSortFieldEnum, { name: "OrderSortField" });

export const SortDirectionEnum = { ASC: "ASC", DESC: "DESC" } as const;
registerEnumType(SortDirectionEnum, { name: "OrderSortDirection" });

@InputType()
export class CheckoutInput {
  @Field(() => ID)
  productId!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => String, { nullable: true, description: "Id of the page the order is placed on." })
  pageId?: string | null;

  @Field(() => ID, { nullable: true, description: "Campaign the order counts for; defaults to the product's." })
  campaignId?: string | null;

  @Field(() => String, {
    description: "Idempotency key chosen by the page (1–64 of A-Z a-z 0-9 - _ . :): repeating it returns the same order.",
  })
  requestId!: string;
}

@InputType({ description: "Conditions an order must meet; all given conditions apply." })
export class OrderFilter {
  @Field(() => String, { nullable: true, description: "The customer's whole mobile number, in any common notation." })
  mobile?: string | null;

  @Field(() => String, { nullable: true, description: "The start of the customer's mobile number, such as 138." })
  mobilePrefix?: string | null;

  @Field(() => ID, { nullable: true })
  productId?: string | null;

  @Field(() => ID, { nullable: true })
  merchantAccountId?: string | null;

  @Field(() => ID, { nullable: true })
  campaignId?: string | null;

  @Field(() => String, { nullable: true })
  pageId?: string | null;

  @Field(() => [OrderStatusEnum], { nullable: true })
  status?: OrderStatus[] | null;

  @Field(() => DateTimeResolver, { nullable: true, description: "Created at or after this time." })
  createdFrom?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: "Created before this time." })
  createdBefore?: Date | null;
}

@InputType()
export class OrderSortInput {
  @Field(() => OrderSortFieldEnum, { defaultValue: "CREATED_AT" })
  field!: OrderSortField;

  @Field(() => SortDirectionEnum, { defaultValue: "DESC" })
  direction!: SortDirection;
}

@InputType()
export class RefundOrderInput {
  @Field(() => ID)
  orderId!: string;

  @Field(() => FenScalar, { description: "Amount to refund, at most what is left of the order's total." })
  amount!: number;

  @Field(() => String, { nullable: true, description: "Shown to the customer by WeChat Pay; at most 80 characters." })
  reason?: string | null;

  @Field(() => String, { description: "Idempotency key (1–64 of A-Z a-z 0-9 - _ . :): repeating it returns the same refund." })
  requestId!: string;
}
