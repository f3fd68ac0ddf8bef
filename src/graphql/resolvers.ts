import type { NonEmptyArray } from "type-graphql";
import { CampaignResolver } from "../modules/campaigns/campaign.resolver.js";
import { NodeResolver } from "./node.resolver.js";
import { MerchantAccountResolver } from "../modules/merchants/merchant-account.resolver.js";
import { SimulatorResolver } from "../modules/merchants/simulator.resolver.js";
import { CustomerResolver } from "../modules/customers/customer.resolver.js";
import { VoucherResolver } from "../modules/vouchers/voucher.resolver.js";
import { JobResolver } from "../modules/jobs/job.resolver.js";
import { CustomerEventResolver } from "../modules/events/customer-event.resolver.js";
import { CampaignStatsFieldResolver, CampaignStatsResolver } from "../modules/dashboards/campaign-stats.resolver.js";
import { CampaignIssuanceResolver } from "../modules/dashboards/campaign-issuance.resolver.js";
import { JobProgressResolver } from "../realtime/job-progress.resolver.js";
import { ProductResolver } from "../modules/products/product.resolver.js";
import { OrderResolver } from "../modules/orders/order.resolver.js";
import { OrderExportResolver } from "../modules/exports/order-export.resolver.js";
import { RedPacketResolver } from "../modules/red-packets/red-packet.resolver.js";
import { RedPacketGrantResolver } from "../modules/red-packets/grant.resolver.js";
import { RedPacketReportResolver } from "../modules/red-packets/report.resolver.js";
import { FailureNoticeResolver } from "../modules/notices/failure-notice.resolver.js";
import { NoticeChannelResolver } from "../modules/notices/notice-channel.resolver.js";

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [
  NodeResolver,
  CampaignResolver,
  MerchantAccountResolver,
  SimulatorResolver,
  CustomerResolver,
  VoucherResolver,
  JobResolver,
  CustomerEventResolver,
  CampaignStatsFieldResolver,
  CampaignStatsResolver,
  CampaignIssuanceResolver,
  JobProgressResolver,
  ProductResolver,
  OrderResolver,
  OrderExportResolver,
  RedPacketResolver,
  RedPacketGrantResolver,
  RedPacketReportResolver,
  FailureNoticeResolver,
  NoticeChannelResolver,
];
