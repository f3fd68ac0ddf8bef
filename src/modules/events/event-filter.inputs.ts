import { Field, ID, InputType, Int, registerEnumType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { FenScalar } from "../../graphql/scalars/fen.js";
import type { CustomerEventSource, CustomerEventType } from "./customer-event.table.js";
import { CustomerEventSourceEnum, CustomerEventTypeEnum } from "./customer-event.type.js";
import type { RelativeTimeUnit } from "./event-filter.js";

export const RelativeTimeUnitEnum = { MINUTE: "MINUTE", HOUR: "HOUR", DAY: "DAY", WEEK: "WEEK", MONTH: "MONTH" } as const;
registerEnumType(RelativeTimeUnitEnum, {
  name: "RelativeTimeUnit",
  description: "Unit of a rolling window. DAY and WEEK are 24-hour multiples; MONTH is a calendar month.",
});

@InputType({ description: "A rolling window that ends now, such as the last 7 days." })
export class RelativeTimeWindow {
  @Field(() => Int)
  amount!: number;

  @Field(() => RelativeTimeUnitEnum)
  unit!: RelativeTimeUnit;
}

@InputType({ description: "Exactly one of equals and in." })
export class CustomerEventTypeCondition {
  @Field(() => CustomerEventTypeEnum, { nullable: true })
  equals?: CustomerEventType | null;

  @Field(() => [CustomerEventTypeEnum], { nullable: true })
  in?: CustomerEventType[] | null;
}

@InputType({ description: "Exactly one of equals and in." })
export class CustomerEventSourceCondition {
  @Field(() => CustomerEventSourceEnum, { nullable: true })
  equals?: CustomerEventSource | null;

  @Field(() => [CustomerEventSourceEnum], { nullable: true })
  in?: CustomerEventSource[] | null;
}

@InputType({ description: "Exactly one of equals and in, with global ids." })
export class EventIdCondition {
  @Field(() => ID, { nullable: true })
  equals?: string | null;

  @Field(() => [ID], { nullable: true })
  in?: string[] | null;
}

@InputType({ description: "Exactly one of equals and in." })
export class EventOpenidCondition {
  @Field(() => String, { nullable: true })
  equals?: string | null;

  @Field(() => [String], { nullable: true })
  in?: string[] | null;
}

@InputType({ description: "Exactly one of equals and prefix. Numbers may be written with or without +86." })
export class EventMobileCondition {
  @Field(() => String, { nullable: true })
  equals?: string | null;

  @Field(() => String, { nullable: true, description: "Start of the number, such as 138 or +86138." })
  prefix?: string | null;
}

@InputType({ description: "Inclusive bounds; either may be left out." })
export class FenRange {
  @Field(() => FenScalar, { nullable: true })
  min?: number | null;

  @Field(() => FenScalar, { nullable: true })
  max?: number | null;
}

@InputType({ description: "Exactly one of equals, in and range." })
export class EventAmountCondition {
  @Field(() => FenScalar, { nullable: true })
  equals?: number | null;

  @Field(() => [FenScalar], { nullable: true })
  in?: number[] | null;

  @Field(() => FenRange, { nullable: true })
  range?: FenRange | null;
}

@InputType({ description: "Either an absolute range (from, to or both) or a rolling window (last)." })
export class EventTimeCondition {
  @Field(() => DateTimeResolver, { nullable: true, description: "Inclusive start." })
  from?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: "Exclusive end." })
  to?: Date | null;

  @Field(() => RelativeTimeWindow, { nullable: true })
  last?: RelativeTimeWindow | null;
}

@InputType({
  description:
    "Conditions on customer events. All conditions set in one filter apply together; or matches any of its filters, and not excludes what its filter matches. Queries must limit occurredAt.",
})
export class CustomerEventFilter {
  @Field(() => [CustomerEventFilter], { nullable: true })
  and?: CustomerEventFilter[] | null;

  @Field(() => [CustomerEventFilter], { nullable: true })
  or?: CustomerEventFilter[] | null;

  @Field(() => CustomerEventFilter, { nullable: true })
  not?: CustomerEventFilter | null;

  @Field(() => CustomerEventTypeCondition, { nullable: true })
  type?: CustomerEventTypeCondition | null;

  @Field(() => CustomerEventSourceCondition, { nullable: true })
  source?: CustomerEventSourceCondition | null;

  @Field(() => EventIdCondition, { nullable: true })
  campaignId?: EventIdCondition | null;

  @Field(() => EventIdCondition, { nullable: true })
  voucherBatchId?: EventIdCondition | null;

  @Field(() => EventIdCondition, { nullable: true })
  redPacketId?: EventIdCondition | null;

  @Field(() => EventIdCondition, { nullable: true })
  orderId?: EventIdCondition | null;

  @Field(() => EventIdCondition, { nullable: true })
  productId?: EventIdCondition | null;

  @Field(() => EventIdCondition, { nullable: true })
  merchantAccountId?: EventIdCondition | null;

  @Field(() => EventOpenidCondition, { nullable: true })
  openid?: EventOpenidCondition | null;

  @Field(() => EventMobileCondition, { nullable: true })
  mobile?: EventMobileCondition | null;

  @Field(() => EventAmountCondition, { nullable: true })
  amount?: EventAmountCondition | null;

  @Field(() => EventTimeCondition, { nullable: true })
  occurredAt?: EventTimeCondition | null;
}

export const CustomerEventOrderEnum = {
  OCCURRED_AT_DESC: "OCCURRED_AT_DESC",
  OCCURRED_AT_ASC: "OCCURRED_AT_ASC",
  AMOUNT_DESC: "AMOUNT_DESC",
  AMOUNT_ASC: "AMOUNT_ASC",
} as const;
export type CustomerEventOrder = keyof typeof CustomerEventOrderEnum;
registerEnumType(CustomerEventOrderEnum, {
  name: "CustomerEventOrder",
  description: "Sort order of customer events; ties are broken by id. Events without an amount sort as 0.",
});
