import { requireActor, tenantScope, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { parseGlobalId } from "../../graphql/relay/global-id.js";
import { decodeCursor, pageSize, toConnection } from "../../graphql/relay/pagination.js";
import { userError, type UserError } from "../../graphql/user-error.js";
import { findMerchantAccountById } from "../merchants/merchant-account.repository.js";
import { toOrderQuery } from "./order-query.js";
import type { OrderFilter } from "./order.inputs.js";
import { countOrders, DEFAULT_ORDER_SORT, findOrderById, listOrderRows, orderCursorOf, type OrderSort } from "./order.repository.js";
import type { OrderRow } from "./order.tables.js";
import { Order } from "./order.type.js";
import { applyPaidTransaction } from "./payment-settlement.js";

export async function getOrder(ctx: RequestContext, globalId: string): Promise<Order | null> {
  const row = await findOrderById(tenantScope(ctx), parseGlobalId("Order", globalId));
  return row ? Order.fromRow(row) : null;
}

/** Find one page of the tenant's orders matching the filter, with the total over all pages. */
export async function searchOrders(
  ctx: RequestContext,
  filter: OrderFilter,
  sort: OrderSort | null | undefined,
  first: number | null | undefined,
  after: string | null | undefined,
) {
  const scope = tenantScope(ctx);
  const size = pageSize(first);
  const cursor = after ? decodeCursor(after) : undefined;
  const query = toOrderQuery(filter);
  const order = sort ?? DEFAULT_ORDER_SORT;

  const [rows, total] = await Promise.all([listOrderRows(scope, query, order, cursor, size + 1), countOrders(scope, query)]);
  return toConnection(rows, size, total, cursor !== undefined, (row: OrderRow) => orderCursorOf(row, order), Order.fromRow);
}

/**
 * Check an order the page reports as paid. The page's report proves nothing, so WeChat Pay is queried
 * for the order's state and only its response is applied. Returns the order as it then stands.
 */
export async function confirmPayment(ctx: RequestContext, globalId: string): Promise<{ order: Order | null; userErrors: UserError[] }> {
  const actor = requireActor(ctx);
  const scope = tenantScope(ctx);
  const order = await findOrderById(scope, parseGlobalId("Order", globalId, "orderId"));
  // Another customer's order looks exactly like one that does not exist.
  if (!order || order.appid !== actor.customer?.appid || order.openid !== actor.customer.openid) {
    throw new DomainError("NOT_FOUND", "ORDER_NOT_FOUND", "order.notFound", { id: globalId });
  }
  if (order.transactionId !== null) return { order: Order.fromRow(order), userErrors: [] };

  const account = (await findMerchantAccountById(scope, order.merchantAccountId))!;
  const result = await ctx.services.wechatPay.clientFor(account).queryOrderByOutTradeNo(order.orderNo);
  if (!result.ok) {
    ctx.logger.warn({ module: "orders", orderId: order.id, code: result.code, outcome: result.outcome }, "payment query failed");
    return { order: Order.fromRow(order), userErrors: [userError(ctx, "PAYMENT_STATUS_UNKNOWN", "order.paymentStatusUnknown")] };
  }

  if (result.value.trade_state === "SUCCESS" || result.value.trade_state === "REFUND") {
    const settled = await applyPaidTransaction(ctx.services, account, result.value);
    // A mismatch is logged as an error by the settlement; the order stays as it was.
    if (settled.kind === "MISMATCH") return { order: Order.fromRow(order), userErrors: [userError(ctx, "PAYMENT_STATUS_UNKNOWN", "order.paymentStatusUnknown")] };
  }
  const current = (await findOrderById(scope, order.id))!;
  return { order: Order.fromRow(current), userErrors: [] };
}
