import DataLoader from "dataloader";
import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { findCustomersByIds } from "../customers/customer.repository.js";
import type { CustomerRow } from "../customers/customer.table.js";
import { byId } from "../products/product.loaders.js";
import { findPromotionsByOrderIds } from "./order.repository.js";
import type { OrderPromotionRow, OrderRefundRow } from "./order.tables.js";
import { findRefundsByOrderIds } from "./refund.repository.js";

export interface OrderLoaders {
  customerById: DataLoader<string, CustomerRow | undefined>;
  refundsByOrderId: DataLoader<string, OrderRefundRow[]>;
  promotionsByOrderId: DataLoader<string, OrderPromotionRow[]>;
}

const loadersByRequest = new WeakMap<RequestContext, OrderLoaders>();

/** Per-request loaders for the fields of orders, so a page of orders costs one query per field. */
export function orderLoaders(ctx: RequestContext): OrderLoaders {
  let loaders = loadersByRequest.get(ctx);
  if (!loaders) {
    const scope = tenantScope(ctx);
    loaders = {
      customerById: new DataLoader(async (ids) => byId(ids, await findCustomersByIds(scope, ids))),
      refundsByOrderId: new DataLoader(async (orderIds) => groupByOrder(orderIds, await findRefundsByOrderIds(scope, orderIds))),
      promotionsByOrderId: new DataLoader(async (orderIds) => groupByOrder(orderIds, await findPromotionsByOrderIds(scope, orderIds))),
    };
    loadersByRequest.set(ctx, loaders);
  }
  return loaders;
}

function groupByOrder<TRow extends { orderId: string }>(orderIds: readonly string[], rows: TRow[]): TRow[][] {
  const groups = new Map<string, TRow[]>(orderIds.map((id) => [id, []]));
  for (const row of rows) groups.get(row.orderId)?.push(row);
  return orderIds.map((id) => groups.get(id)!);
}
