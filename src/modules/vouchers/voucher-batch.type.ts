import { Field, ID, Int, ObjectType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { FenScalar } from "../../graphql/scalars/fen.js";
import { Node } from "../../graphql/relay/node.js";
import { connectionType } from "../../graphql/relay/connection.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import type { VoucherBatchRow } from "./voucher.tables.js";

@ObjectType({ implements: Node, description: "A WeChat Pay voucher batch (代金券批次) registered by its stock_id." })
export class VoucherBatch extends Node {
  readonly __typename = "VoucherBatch";
  rowId!: string;
  merchantAccountRowId!: string;
  campaignRowId!: string | null;

  @Field(() => ID, { description: "Merchant account that sends this batch." })
  merchantAccountId!: string;

  @Field(() => ID, { nullable: true, description: "Campaign the batch counts for by default." })
  campaignId!: string | null;

  @Field(() => String, { description: "WeChat Pay batch number (批次号)." })
  stockId!: string;

  @Field(() => String)
  stockCreatorMchid!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "WeChat Pay status: unactivated, audit, running, stoped or paused." })
  wechatStatus!: string;

  @Field(() => FenScalar, { nullable: true, description: "Face value." })
  couponAmount!: number | null;

  @Field(() => FenScalar, { nullable: true, description: "Minimum spend for the voucher to apply." })
  transactionMinimum!: number | null;

  @Field(() => Int, { nullable: true })
  maxCoupons!: number | null;

  @Field(() => FenScalar, { nullable: true })
  maxAmount!: number | null;

  @Field(() => FenScalar, { nullable: true })
  maxAmountByDay!: number | null;

  @Field(() => Int, { nullable: true })
  maxCouponsPerUser!: number | null;

  @Field(() => Int, { description: "Vouchers WeChat Pay has distributed, from every channel, as of the last sync." })
  distributedCoupons!: number;

  @Field(() => DateTimeResolver, { nullable: true })
  startTime!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  stopTime!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  availableBeginTime!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  availableEndTime!: Date | null;

  @Field(() => DateTimeResolver)
  syncedAt!: Date;

  @Field(() => Int, { description: "Vouchers this platform issued." })
  issuedCount!: number;

  @Field(() => Int, { description: "Vouchers customers collected from pages." })
  collectedCount!: number;

  @Field(() => Int, { description: "Vouchers issued here that were redeemed." })
  redeemedCount!: number;

  @Field(() => Int, { nullable: true, description: "Vouchers still available: max_coupons minus the larger of both issue counts." })
  remaining!: number | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  static fromRow(row: VoucherBatchRow): VoucherBatch {
    return Object.assign(new VoucherBatch(), {
      id: toGlobalId("VoucherBatch", row.id),
      rowId: row.id,
      merchantAccountRowId: row.merchantAccountId,
      campaignRowId: row.campaignId,
      merchantAccountId: toGlobalId("MerchantAccount", row.merchantAccountId),
      campaignId: row.campaignId ? toGlobalId("Campaign", row.campaignId) : null,
      stockId: row.stockId,
      stockCreatorMchid: row.stockCreatorMchid,
      name: row.name,
      wechatStatus: row.wechatStatus,
      couponAmount: row.couponAmount,
      transactionMinimum: row.transactionMinimum,
      maxCoupons: row.maxCoupons,
      maxAmount: row.maxAmount,
      maxAmountByDay: row.maxAmountByDay,
      maxCouponsPerUser: row.maxCouponsPerUser,
      distributedCoupons: row.distributedCoupons,
      startTime: row.startTime,
      stopTime: row.stopTime,
      availableBeginTime: row.availableBeginTime,
      availableEndTime: row.availableEndTime,
      syncedAt: row.syncedAt,
      issuedCount: row.issuedCount,
      collectedCount: row.collectedCount,
      redeemedCount: row.redeemedCount,
      remaining: row.maxCoupons === null ? null : Math.max(0, row.maxCoupons - Math.max(row.distributedCoupons, row.issuedCount)),
      createdAt: row.createdAt,
    });
  }
}

export const VoucherBatchConnection = connectionType("VoucherBatch", VoucherBatch);
