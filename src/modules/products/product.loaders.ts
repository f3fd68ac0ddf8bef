import DataLoader from "dataloader";
import { inArray } from "drizzle-orm";
import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { findCampaignsByIds } from "../campaigns/campaign.repository.js";
import type { CampaignRow } from "../campaigns/campaign.table.js";
import { merchantAccounts, type MerchantAccountRow } from "../merchants/merchant-account.table.js";
import { findProductsByIds } from "./product.repository.js";
import type { ProductRow } from "./product.table.js";

export interface ProductLoaders {
  /** Products by row id, deleted ones included. */
  productById: DataLoader<string, ProductRow | undefined>;
  merchantAccountById: DataLoader<string, MerchantAccountRow | undefined>;
  campaignById: DataLoader<string, CampaignRow | undefined>;
}

const loadersByRequest = new WeakMap<RequestContext, ProductLoaders>();

/** Loaders that live for one request, so a list's field resolvers make one query per field, not per row. */
export function productLoaders(ctx: RequestContext): ProductLoaders {
  let loaders = loadersByRequest.get(ctx);
  if (!loaders) {
    const scope = tenantScope(ctx);
    loaders = {
      productById: new DataLoader(async (ids) => byId(ids, await findProductsByIds(scope, ids))),
      merchantAccountById: new DataLoader(async (ids) =>
        byId(ids, await scope.db.select().from(merchantAccounts).where(scope.where(merchantAccounts, inArray(merchantAccounts.id, [...ids])))),
      ),
      campaignById: new DataLoader(async (ids) => byId(ids, await findCampaignsByIds(scope, ids))),
    };
    loadersByRequest.set(ctx, loaders);
  }
  return loaders;
}

/** Rows in the order of the requested ids, with undefined for the ids that found nothing. */
export function byId<TRow extends { id: string }>(ids: readonly string[], rows: TRow[]): (TRow | undefined)[] {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id));
}
