import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { DateTimeResolver } from "graphql-scalars";
import { FenScalar } from "../../graphql/scalars/fen.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import type { CampaignIssuancePayload } from "../../realtime/campaign-issuance.js";
import type { CampaignDayRow, CampaignTotals } from "./campaign-stats.repository.js";

@ObjectType({ description: "Cash red packets of a campaign." })
export class CampaignRedPacketStats {
  @Field(() => Int)
  issuedCount!: number;

  @Field(() => FenScalar)
  issuedAmount!: number;

  @Field(() => Int)
  failedCount!: number;

  @Field(() => Int)
  refundedCount!: number;

  @Field(() => FenScalar)
  refundedAmount!: number;

  @Field(() => Int, {
    nullable: true,
    description: "Red packets the campaign's quota still allows. Always null: red packet quotas are not tracked yet.",
  })
  remainingQuotaCount!: number | null;

  @Field(() => FenScalar, {
    nullable: true,
    description: "Amount the campaign's quota still allows. Always null: red packet quotas are not tracked yet.",
  })
  remainingQuotaAmount!: number | null;
}

@ObjectType({ description: "Vouchers of a campaign." })
export class CampaignVoucherStats {
  @Field(() => Int)
  issuedCount!: number;

  @Field(() => Int)
  collectedCount!: number;

  @Field(() => Int)
  redeemedCount!: number;

  @Field(() => Float, {
    nullable: true,
    description: "redeemedCount divided by issuedCount, between 0 and 1; null while none are issued.",
  })
  redemptionRate!: number | null;
}

@ObjectType({ description: "Orders placed through a campaign." })
export class CampaignOrderStats {
  @Field(() => Int, { description: "Orders created." })
  count!: number;

  @Field(() => Int)
  paidCount!: number;

  @Field(() => FenScalar)
  paidAmount!: number;

  @Field(() => Int)
  refundedCount!: number;

  @Field(() => FenScalar)
  refundedAmount!: number;
}

@ObjectType({ description: "One local day of a campaign in the tenant's time zone." })
export class CampaignDayStats {
  @Field(() => String, { description: "Local date, YYYY-MM-DD." })
  date!: string;

  @Field(() => Int)
  redPacketsIssued!: number;

  @Field(() => FenScalar)
  redPacketAmountIssued!: number;

  @Field(() => Int)
  vouchersIssued!: number;

  @Field(() => Int)
  vouchersRedeemed!: number;

  @Field(() => Int)
  ordersPaid!: number;

  @Field(() => FenScalar)
  orderAmountPaid!: number;

  @Field(() => Int, { description: "Customers with at least one event that day." })
  customersReached!: number;

  static empty(date: string): CampaignDayStats {
    return Object.assign(new CampaignDayStats(), {
      date,
      redPacketsIssued: 0,
      redPacketAmountIssued: 0,
      vouchersIssued: 0,
      vouchersRedeemed: 0,
      ordersPaid: 0,
      orderAmountPaid: 0,
      customersReached: 0,
    });
  }

  static fromRow(row: CampaignDayRow): CampaignDayStats {
    return Object.assign(new CampaignDayStats(), row);
  }
}

@ObjectType({ description: "A campaign's dashboard, counted from its customer events." })
export class CampaignStats {
  /** Row id of the campaign, for the daily series; not exposed. */
  campaignRowId!: string;

  @Field(() => Int, { description: "Customers with at least one event in the campaign." })
  customersReached!: number;

  @Field(() => CampaignRedPacketStats)
  redPackets!: CampaignRedPacketStats;

  @Field(() => CampaignVoucherStats)
  vouchers!: CampaignVoucherStats;

  @Field(() => CampaignOrderStats)
  orders!: CampaignOrderStats;

  static fromTotals(campaignRowId: string, totals: CampaignTotals): CampaignStats {
    return Object.assign(new CampaignStats(), {
      campaignRowId,
      customersReached: totals.customersReached,
      redPackets: {
        issuedCount: totals.redPacketsIssued,
        issuedAmount: totals.redPacketAmountIssued,
        failedCount: totals.redPacketsFailed,
        refundedCount: totals.redPacketsRefunded,
        refundedAmount: totals.redPacketAmountRefunded,
        remainingQuotaCount: null,
        remainingQuotaAmount: null,
      },
      vouchers: {
        issuedCount: totals.vouchersIssued,
        collectedCount: totals.vouchersCollected,
        redeemedCount: totals.vouchersRedeemed,
        redemptionRate: totals.vouchersIssued === 0 ? null : totals.vouchersRedeemed / totals.vouchersIssued,
      },
      orders: {
        count: totals.ordersCreated,
        paidCount: totals.ordersPaid,
        paidAmount: totals.orderAmountPaid,
        refundedCount: totals.ordersRefunded,
        refundedAmount: totals.orderAmountRefunded,
      },
    });
  }
}

@ObjectType({ description: "A campaign's live issuance counts." })
export class CampaignIssuanceCounts {
  @Field(() => ID)
  campaignId!: string;

  @Field(() => Int)
  redPacketsIssued!: number;

  @Field(() => FenScalar)
  redPacketAmountIssued!: number;

  @Field(() => Int)
  redPacketsFailed!: number;

  @Field(() => Int)
  redPacketsRefunded!: number;

  @Field(() => Int)
  vouchersIssued!: number;

  @Field(() => Int)
  vouchersCollected!: number;

  @Field(() => Int)
  vouchersRedeemed!: number;

  @Field(() => DateTimeResolver, { description: "When the counts were read from the database." })
  countedAt!: Date;

  static fromPayload(payload: CampaignIssuancePayload): CampaignIssuanceCounts {
    return Object.assign(new CampaignIssuanceCounts(), {
      campaignId: toGlobalId("Campaign", payload.campaignId),
      ...payload.counts,
      countedAt: new Date(payload.countedAt),
    });
  }
}
