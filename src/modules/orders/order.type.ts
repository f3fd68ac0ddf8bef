import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { connectionType } from "../../graphql/relay/connection.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import { Node } from "../../graphql/relay/node.js";
import { FenScalar } from "../../graphql/scalars/fen.js";
import type { RequestPaymentParams } from "../../wechatpay/index.js";
import {
  orderStatuses,
  refundStatuses,
  type OrderPromotionRow,
  type OrderRefundRow,
  type OrderRow,
  type OrderStatus,
  type RefundStatus,
} from "./order.tables.js";

function enumOf<const TValues extends readonly string[]>(values: TValues): { [K in TValues[number]]: K } {
  return Object.fromEntries(values.map((value) => [value, value])) as { [K in TValues[number]]: K };
}

export const OrderStatusEnum = enumOf(orderStatuses);
registerEnumType(OrderStatusEnum, {
  name: "OrderStatus",
  description: "PENDING waits for payment; EXPIRED was not paid in time; CANCELLED was rejected by WeChat Pay.",
});

export const RefundStatusEnum = enumOf(refundStatuses);
registerEnumType(RefundStatusEnum, {
  name: "RefundStatus",
  description: "SUBMITTING until WeChat Pay responds, then its PROCESSING, SUCCESS, CLOSED or ABNORMAL, or REJECTED when it rejected the refund.",
});

@ObjectType({ description: "A voucher deduction of a payment, from WeChat Pay's promotion_detail." })
export class OrderPromotion {
  @Field(() => String)
  couponId!: string;

  @Field(() => String, { nullable: true })
  stockId!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true, description: "GLOBAL or SINGLE." })
  scope!: string | null;

  @Field(() => String, { nullable: true, description: "CASH (pre-funded) or NOCASH." })
  type!: string | null;

  @Field(() => FenScalar)
  amount!: number;

  @Field(() => FenScalar, { nullable: true })
  merchantContribute!: number | null;

  @Field(() => FenScalar, { nullable: true })
  wechatpayContribute!: number | null;

  @Field(() => FenScalar, { nullable: true })
  otherContribute!: number | null;

  static fromRow(row: OrderPromotionRow): OrderPromotion {
    return Object.assign(new OrderPromotion(), {
      couponId: row.couponId,
      stockId: row.stockId,
      name: row.name,
      scope: row.scope,
      type: row.type,
      amount: row.amount,
      merchantContribute: row.merchantContribute,
      wechatpayContribute: row.wechatpayContribute,
      otherContribute: row.otherContribute,
    });
  }
}

@ObjectType({ description: "A refund of an order, full or partial." })
export class OrderRefund {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "out_refund_no at WeChat Pay." })
  refundNo!: string;

  @Field(() => FenScalar, { description: "Refunded from the order's amount.total." })
  amount!: number;

  @Field(() => FenScalar, { nullable: true, description: "The part that went back to the payer; the rest returns to the voucher." })
  payerRefund!: number | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => RefundStatusEnum)
  status!: RefundStatus;

  @Field(() => Boolean, { description: "Started by the server, for a payment that arrived after expiry when the stock was gone." })
  automatic!: boolean;

  @Field(() => String, { nullable: true, description: "WeChat Pay's error code when it rejected the refund." })
  failureCode!: string | null;

  @Field(() => String, { nullable: true })
  failureMessage!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  succeededAt!: Date | null;

  static fromRow(row: OrderRefundRow): OrderRefund {
    return Object.assign(new OrderRefund(), {
      id: toGlobalId("OrderRefund", row.id),
      refundNo: row.refundNo,
      amount: row.amount,
      payerRefund: row.payerRefund,
      reason: row.reason,
      status: row.status,
      automatic: row.automatic,
      failureCode: row.failureCode,
      failureMessage: row.failureMessage,
      createdAt: row.createdAt,
      succeededAt: row.succeededAt,
    });
  }
}

@ObjectType({ implements: Node, description: "An order placed on a WeChat page for a product, paid by JSAPI payment." })
export class Order extends Node {
  readonly __typename = "Order";
  rowId!: string;
  productRowId!: string;
  customerRowId!: string;
  campaignRowId!: string | null;
  merchantAccountRowId!: string;

  @Field(() => String, { description: "out_trade_no at WeChat Pay." })
  orderNo!: string;

  @Field(() => OrderStatusEnum)
  status!: OrderStatus;

  @Field(() => String, { description: "Product name when the order was placed." })
  productName!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => FenScalar)
  unitPrice!: number;

  @Field(() => FenScalar, { description: "Unit price times quantity: amount.total at WeChat Pay." })
  totalAmount!: number;

  @Field(() => FenScalar, { nullable: true, description: "What the customer paid after vouchers (amount.payer_total)." })
  payerTotal!: number | null;

  @Field(() => FenScalar, { description: "Voucher deductions." })
  discountAmount!: number;

  @Field(() => FenScalar, { description: "Sum of successful refunds." })
  refundedAmount!: number;

  @Field(() => String, { nullable: true, description: "Id of the WeChat page the order came from." })
  pageId!: string | null;

  @Field(() => String, { nullable: true, description: "WeChat Pay transaction_id once paid." })
  transactionId!: string | null;

  @Field(() => Boolean, { description: "The payment arrived after the order had expired." })
  paidAfterExpiry!: boolean;

  @Field(() => Boolean, { description: "Paid after expiry when the stock was gone; it is refunded in full automatically." })
  stockShortfall!: boolean;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver, { description: "When an unpaid order expires and its stock is released." })
  expiresAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true })
  paidAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: "When the order expired or was cancelled." })
  closedAt!: Date | null;

  static fromRow(row: OrderRow): Order {
    return Object.assign(new Order(), {
      id: toGlobalId("Order", row.id),
      rowId: row.id,
      productRowId: row.productId,
      customerRowId: row.customerId,
      campaignRowId: row.campaignId,
      merchantAccountRowId: row.merchantAccountId,
      orderNo: row.orderNo,
      status: row.status,
      productName: row.productName,
      quantity: row.quantity,
      unitPrice: row.unitPrice,
      totalAmount: row.totalAmount,
      payerTotal: row.payerTotal,
      discountAmount: row.discountAmount,
      refundedAmount: row.refundedAmount,
      pageId: row.pageId,
      transactionId: row.transactionId,
      paidAfterExpiry: row.paidAfterExpiry,
      stockShortfall: row.stockShortfall,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      paidAt: row.paidAt,
      closedAt: row.closedAt,
    });
  }
}

export const OrderConnection = connectionType("Order", Order);

@ObjectType({ description: "Signed parameters for the page's wx.requestPayment or WeixinJSBridge getBrandWCPayRequest call." })
export class RequestPayment {
  @Field(() => String)
  appId!: string;

  @Field(() => String, { description: "Unix time in seconds." })
  timeStamp!: string;

  @Field(() => String)
  nonceStr!: string;

  @Field(() => String, { description: "prepay_id=…" })
  package!: string;

  @Field(() => String)
  signType!: string;

  @Field(() => String)
  paySign!: string;

  static from(params: RequestPaymentParams): RequestPayment {
    return Object.assign(new RequestPayment(), params);
  }
}
