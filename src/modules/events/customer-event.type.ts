import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeResolver, JSONObjectResolver } from "graphql-scalars";
import { connectionType } from "../../graphql/relay/connection.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import { Node } from "../../graphql/relay/node.js";
import { FenScalar } from "../../graphql/scalars/fen.js";
import {
  customerEventSources,
  customerEventTypes,
  type CustomerEventRow,
  type CustomerEventSource,
  type CustomerEventType,
} from "./customer-event.table.js";
import type { IdField } from "./event-filter.js";

/** A GraphQL enum object whose keys and values are the given names. */
export function enumOf<const TValues extends readonly string[]>(values: TValues): { [K in TValues[number]]: K } {
  return Object.fromEntries(values.map((value) => [value, value])) as { [K in TValues[number]]: K };
}

export const CustomerEventTypeEnum = enumOf(customerEventTypes);
registerEnumType(CustomerEventTypeEnum, { name: "CustomerEventType", description: "What happened to a customer." });

export const CustomerEventSourceEnum = enumOf(customerEventSources);
registerEnumType(CustomerEventSourceEnum, {
  name: "CustomerEventSource",
  description: "Where the action that caused an event started.",
});

/** GraphQL type names of the objects that the id columns of customer_events point to. */
export const idFieldTypeNames: Record<IdField, string> = {
  campaignId: "Campaign",
  voucherBatchId: "VoucherBatch",
  redPacketId: "RedPacket",
  orderId: "Order",
  productId: "Product",
  merchantAccountId: "MerchantAccount",
  customerId: "Customer",
};

export function optionalGlobalId(field: IdField, rowId: string | null): string | null {
  return rowId === null ? null : toGlobalId(idFieldTypeNames[field], rowId);
}

@ObjectType({ implements: Node, description: "Something that happened to a customer: a voucher, a red packet, an order." })
export class CustomerEvent extends Node {
  readonly __typename = "CustomerEvent";

  @Field(() => CustomerEventTypeEnum)
  type!: CustomerEventType;

  @Field(() => CustomerEventSourceEnum)
  source!: CustomerEventSource;

  @Field(() => DateTimeResolver)
  occurredAt!: Date;

  @Field(() => ID, { description: "Global id of the customer." })
  customerId!: string;

  @Field(() => String)
  openid!: string;

  @Field(() => String, { nullable: true, description: "Mobile number in E.164 form (+86…), when known." })
  mobile!: string | null;

  @Field(() => ID, { nullable: true })
  campaignId!: string | null;

  @Field(() => ID, { nullable: true })
  merchantAccountId!: string | null;

  @Field(() => ID, { nullable: true })
  voucherBatchId!: string | null;

  @Field(() => ID, { nullable: true })
  redPacketId!: string | null;

  @Field(() => ID, { nullable: true })
  orderId!: string | null;

  @Field(() => ID, { nullable: true })
  productId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "WeChat Pay's id of the object: coupon_id, send_listid, transfer_bill_no or transaction_id.",
  })
  wechatObjectId!: string | null;

  @Field(() => FenScalar, { nullable: true, description: "Money the event moved." })
  amount!: number | null;

  @Field(() => JSONObjectResolver, { description: "Further facts recorded with the event." })
  attributes!: Record<string, unknown>;

  static fromRow(row: CustomerEventRow): CustomerEvent {
    return Object.assign(new CustomerEvent(), {
      id: toGlobalId("CustomerEvent", row.id),
      type: row.type,
      source: row.source,
      occurredAt: row.occurredAt,
      customerId: toGlobalId("Customer", row.customerId),
      openid: row.openid,
      mobile: row.mobile,
      campaignId: optionalGlobalId("campaignId", row.campaignId),
      merchantAccountId: optionalGlobalId("merchantAccountId", row.merchantAccountId),
      voucherBatchId: optionalGlobalId("voucherBatchId", row.voucherBatchId),
      redPacketId: optionalGlobalId("redPacketId", row.redPacketId),
      orderId: optionalGlobalId("orderId", row.orderId),
      productId: optionalGlobalId("productId", row.productId),
      wechatObjectId: row.wechatObjectId,
      amount: row.amount,
      attributes: row.attributes,
    });
  }
}

export const CustomerEventConnection = connectionType("CustomerEvent", CustomerEvent);
