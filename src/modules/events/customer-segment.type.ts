import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { connectionType } from "../../graphql/relay/connection.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import type { CustomerRow } from "../customers/customer.table.js";
import type { CustomerEventType } from "./customer-event.table.js";
import { CustomerEventTypeEnum } from "./customer-event.type.js";
import { CustomerEventFilter, RelativeTimeWindow } from "./event-filter.inputs.js";

@InputType({ description: "Customers who had at least minCount events of this type that match the filter." })
export class SegmentEventCondition {
  @Field(() => CustomerEventTypeEnum)
  type!: CustomerEventType;

  @Field(() => CustomerEventFilter, { description: "Further conditions; it must limit occurredAt." })
  filter!: CustomerEventFilter;

  @Field(() => Int, { defaultValue: 1 })
  minCount!: number;
}

@InputType({ description: "Customers who had no event of this type matching the filter within the rolling window." })
export class SegmentAbsenceCondition {
  @Field(() => CustomerEventTypeEnum)
  type!: CustomerEventType;

  @Field(() => CustomerEventFilter, { nullable: true })
  filter?: CustomerEventFilter | null;

  @Field(() => RelativeTimeWindow, { description: "Window that ends now, such as the last 30 days." })
  within!: RelativeTimeWindow;
}

@ObjectType({ description: "A customer in a segment." })
export class SegmentCustomer {
  @Field(() => ID, { description: "Global id of the customer." })
  id!: string;

  @Field(() => String)
  appid!: string;

  @Field(() => String)
  openid!: string;

  @Field(() => String, { nullable: true, description: "Mobile number in E.164 form (+86…), when known." })
  mobile!: string | null;

  @Field(() => Int, { description: "How many of the customer's events met the did condition." })
  matchedEvents!: number;

  static fromRow(row: Pick<CustomerRow, "id" | "appid" | "openid" | "mobile"> & { matchedEvents: number }): SegmentCustomer {
    return Object.assign(new SegmentCustomer(), {
      id: toGlobalId("Customer", row.id),
      appid: row.appid,
      openid: row.openid,
      mobile: row.mobile,
      matchedEvents: row.matchedEvents,
    });
  }
}

export const SegmentCustomerConnection = connectionType("SegmentCustomer", SegmentCustomer);

@ObjectType({ description: "Customers who did one thing and, optionally, did not do another." })
export class CustomerSegment {
  @Field(() => Int, { description: "Customers in the segment, over all pages." })
  count!: number;

  @Field(() => SegmentCustomerConnection, { description: "The customers, ordered by id." })
  customers!: InstanceType<typeof SegmentCustomerConnection>;
}
