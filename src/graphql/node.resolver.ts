import { Arg, Authorized, Ctx, Field, ID, ObjectType, Query, Resolver } from "type-graphql";
import { roles, type Role } from "../auth/actor.js";
import { Audience } from "../auth/auth-checker.js";
import { findCampaignById } from "../modules/campaigns/campaign.repository.js";
import { Campaign } from "../modules/campaigns/campaign.type.js";
import { findMerchantAccountById } from "../modules/merchants/merchant-account.repository.js";
import { MerchantAccount } from "../modules/merchants/merchant-account.type.js";
import { findBatchById } from "../modules/vouchers/voucher.repository.js";
import { VoucherBatch } from "../modules/vouchers/voucher-batch.type.js";
import { findJob } from "../modules/jobs/job.repository.js";
import { Job } from "../modules/jobs/job.type.js";
import { findCustomersByIds } from "../modules/customers/customer.repository.js";
import { Customer } from "../modules/customers/customer.type.js";
import { findProductById } from "../modules/products/product.repository.js";
import { Product } from "../modules/products/product.type.js";
import { findOrderById } from "../modules/orders/order.repository.js";
import { Order } from "../modules/orders/order.type.js";
import { ORDER_EXPORT_JOB_KIND, toOrderExport } from "../modules/exports/order-export.service.js";
import { findRedPacketById } from "../modules/red-packets/red-packet.repository.js";
import { toRedPacketNodes } from "../modules/red-packets/red-packet.service.js";
import { findGrantById } from "../modules/red-packets/grant.repository.js";
import { RedPacketGrant } from "../modules/red-packets/grant.type.js";
import { requireActor, tenantScope, type RequestContext } from "./context.js";
import { decodeGlobalId } from "./relay/global-id.js";
import { Node } from "./relay/node.js";

type NodeFetcher = (ctx: RequestContext, rowId: string) => Promise<Node | null>;

/**
 * Fetchers that load each node type by row id. Every fetcher goes through the tenant scope, so an id from
 * another tenant finds nothing and looks exactly like an id that never existed.
 */
const nodeFetchers: Record<string, NodeFetcher> = {
  Campaign: async (ctx, rowId) => {
    const row = await findCampaignById(tenantScope(ctx), rowId);
    return row ? Campaign.fromRow(row) : null;
  },
  MerchantAccount: async (ctx, rowId) => {
    const row = await findMerchantAccountById(tenantScope(ctx), rowId);
    return row ? MerchantAccount.fromRow(row) : null;
  },
  VoucherBatch: async (ctx, rowId) => {
    const row = await findBatchById(tenantScope(ctx), rowId);
    return row ? VoucherBatch.fromRow(row) : null;
  },
  Customer: async (ctx, rowId) => {
    const [row] = await findCustomersByIds(tenantScope(ctx), [rowId]);
    return row ? Customer.fromRow(row) : null;
  },
  Job: async (ctx, rowId) => {
    const row = await findJob(tenantScope(ctx), rowId);
    return row ? Job.fromRow(row) : null;
  },
  Product: async (ctx, rowId) => {
    const row = await findProductById(tenantScope(ctx), rowId);
    return row ? Product.fromRow(row, ctx.services.publicBaseUrl()) : null;
  },
  Order: async (ctx, rowId) => {
    const row = await findOrderById(tenantScope(ctx), rowId);
    return row ? Order.fromRow(row) : null;
  },
  OrderExport: async (ctx, rowId) => {
    const row = await findJob(tenantScope(ctx), rowId);
    return row?.kind === ORDER_EXPORT_JOB_KIND ? toOrderExport(ctx, row) : null;
  },
  RedPacket: async (ctx, rowId) => {
    const scope = tenantScope(ctx);
    const row = await findRedPacketById(scope, rowId);
    return row ? (await toRedPacketNodes(ctx, scope, [row]))[0]! : null;
  },
  RedPacketGrant: async (ctx, rowId) => {
    const row = await findGrantById(tenantScope(ctx), rowId);
    return row ? RedPacketGrant.fromRow(row, ctx.locale) : null;
  },
};

export function registerNodeType(typeName: string, fetcher: NodeFetcher): void {
  nodeFetchers[typeName] = fetcher;
}

@ObjectType({ description: "The authenticated caller." })
class Viewer {
  @Field(() => String)
  tenantId!: string;

  @Field(() => String)
  subject!: string;

  @Field(() => [String])
  roles!: Role[];
}

@Resolver()
export class NodeResolver {
  @Authorized(Audience.staffRead)
  @Query(() => Node, { nullable: true, description: "Refetch any object by its global id." })
  async node(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string): Promise<Node | null> {
    const decoded = decodeGlobalId(id);
    const fetcher = decoded ? nodeFetchers[decoded.typeName] : undefined;
    if (!decoded || !fetcher) return null;
    return fetcher(ctx, decoded.id);
  }

  @Authorized([...roles])
  @Query(() => Viewer, { description: "Who the access token belongs to." })
  viewer(@Ctx() ctx: RequestContext): Viewer {
    const actor = requireActor(ctx);
    return { tenantId: actor.tenantId, subject: actor.subject, roles: actor.roles };
  }
}
