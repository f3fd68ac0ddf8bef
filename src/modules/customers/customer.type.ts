import { Field, InputType, ObjectType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { Node } from "../../graphql/relay/node.js";
import { connectionType } from "../../graphql/relay/connection.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import type { CustomerRow } from "./customer.table.js";

@ObjectType({ implements: Node, description: "A WeChat user known to the tenant, identified by openid under an appid." })
export class Customer extends Node {
  readonly __typename = "Customer";
  rowId!: string;

  @Field(() => String)
  appid!: string;

  @Field(() => String)
  openid!: string;

  @Field(() => String, { nullable: true })
  unionid!: string | null;

  @Field(() => String, { nullable: true, description: "Mobile number in E.164 form (+86…), when known." })
  mobile!: string | null;

  @Field(() => DateTimeResolver, { description: "When the platform first saw the customer." })
  createdAt!: Date;

  static fromRow(row: CustomerRow): Customer {
    return Object.assign(new Customer(), {
      id: toGlobalId("Customer", row.id),
      rowId: row.id,
      appid: row.appid,
      openid: row.openid,
      unionid: row.unionid,
      mobile: row.mobile,
      createdAt: row.createdAt,
    });
  }
}

export const CustomerConnection = connectionType("Customer", Customer);

@InputType({ description: "Conditions a customer must meet; all given conditions apply." })
export class CustomerFilter {
  @Field(() => String, { nullable: true, description: "Mobile number, exact or its beginning (138, +86138…)." })
  mobile?: string | null;

  @Field(() => String, { nullable: true })
  openid?: string | null;

  @Field(() => String, { nullable: true })
  unionid?: string | null;
}

@ObjectType({ description: "A voucher sent to a customer by this platform." })
export class CustomerVoucher {
  @Field(() => String, { nullable: true, description: "WeChat Pay coupon id, once issued." })
  couponId!: string | null;

  @Field(() => String, { description: "PENDING, ISSUED, FAILED or UNKNOWN." })
  status!: string;

  @Field(() => String, { description: "Global id of the voucher batch." })
  batchId!: string;

  @Field(() => String, { description: "PAGE or WORKFLOW." })
  source!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  issuedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  redeemedAt!: Date | null;
}
