import { requireActor, tenantScope, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { parseGlobalId } from "../../graphql/relay/global-id.js";
import { userError, type UserError } from "../../graphql/user-error.js";
import type { TenantScope } from "../../db/tenant-scope.js";
import { notifyCampaignActivity } from "../../realtime/campaign-activity.js";
import type { JsapiOrderRequest } from "../../wechatpay/index.js";
import { isUniqueViolation } from "../campaigns/campaign.service.js";
import { findCampaignById } from "../campaigns/campaign.repository.js";
import { upsertCustomer } from "../customers/customer.repository.js";
import { findMerchantAccountById } from "../merchants/merchant-account.repository.js";
import { assertMerchantEnabled } from "../merchants/merchant-account.service.js";
import type { MerchantAccountRow } from "../merchants/merchant-account.table.js";
import { findProductById, releaseStock, reserveStock } from "../products/product.repository.js";
import type { ProductRow } from "../products/product.table.js";
import { PAYMENT_NOTIFICATION_KIND } from "./notification-kinds.js";
import { recordOrderEvent } from "./order-events.js";
import { formatTimeExpire, newOrderNo } from "./order-number.js";
import { orderSettings } from "./order.settings.js";
import { findOrderByRequest, insertOrder, lockOrderById, updateOrderRow } from "./order.repository.js";
import type { OrderRow } from "./order.tables.js";
import { Order, RequestPayment } from "./order.type.js";
import { applyPaidTransaction } from "./payment-settlement.js";
import { isValidRequestId } from "./request-id.js";

/** Most items of one product in one order. */
export const MAX_QUANTITY = 999;
/** WeChat Pay's limit on `description`, in characters. */
const MAX_DESCRIPTION_LENGTH = 127;
const MAX_PAGE_ID_LENGTH = 128;

export interface CheckoutInputValues {
  productId: string;
  quantity: number;
  pageId?: string | null;
  campaignId?: string | null;
  requestId: string;
}

export interface CheckoutResult {
  order: Order | null;
  /** Present while the order waits for payment. */
  payment: RequestPayment | null;
  userErrors: UserError[];
}

/**
 * Order a product as the customer of the token: reserve the stock with one conditional UPDATE, store
 * the order with its out_trade_no, then create the JSAPI order at WeChat Pay and sign the parameters
 * for the page's payment call. Checking out again with the same requestId returns the same order (and
 * fresh payment parameters while it is unpaid), so a page may retry safely.
 */
export async function checkout(ctx: RequestContext, input: CheckoutInputValues): Promise<CheckoutResult> {
  const actor = requireActor(ctx);
  const identity = actor.customer;
  if (!identity) throw new DomainError("FORBIDDEN", "CUSTOMER_ONLY", "auth.customerOnly");

  const userErrors = validateCheckoutInput(ctx, input);
  if (userErrors.length > 0) return { order: null, payment: null, userErrors };

  const scope = tenantScope(ctx);
  const productRowId = parseGlobalId("Product", input.productId, "productId");
  const customer = await upsertCustomer(scope, identity);

  const earlier = await findOrderByRequest(scope, customer.id, input.requestId);
  if (earlier) return resumeCheckout(ctx, scope, earlier, productRowId, input);

  const product = await findProductById(scope, productRowId);
  if (!product) throw new DomainError("NOT_FOUND", "PRODUCT_NOT_FOUND", "product.notFound", { id: input.productId });
  if (product.status !== "ON_SALE") return failedCheckout(userError(ctx, "NOT_ON_SALE", "order.notOnSale", { name: product.name }, ["productId"]));

  const account = (await findMerchantAccountById(scope, product.merchantAccountId))!;
  assertMerchantEnabled(account);
  if (identity.appid !== account.officialAccountAppid && identity.appid !== account.miniProgramAppid) {
    throw new DomainError("FORBIDDEN", "APPID_NOT_BOUND", "order.appidMismatch", { appid: identity.appid });
  }

  const totalAmount = product.price * input.quantity;
  if (!Number.isSafeInteger(totalAmount) || totalAmount > 0x7fffffff) {
    return failedCheckout(userError(ctx, "AMOUNT_TOO_LARGE", "order.amountTooLarge", { quantity: input.quantity, price: product.price }, ["quantity"]));
  }
  const campaignRowId = await resolveCampaign(scope, input.campaignId, product);

  const placed = await placeOrder(ctx, scope, {
    product,
    account,
    customerId: customer.id,
    appid: identity.appid,
    openid: identity.openid,
    quantity: input.quantity,
    totalAmount,
    campaignRowId,
    pageId: input.pageId ?? null,
    requestId: input.requestId,
  });
  if (placed.kind === "OUT_OF_STOCK") {
    return failedCheckout(userError(ctx, "OUT_OF_STOCK", "order.outOfStock", { name: product.name, stock: placed.stock, quantity: input.quantity }, ["quantity"]));
  }
  if (placed.kind === "DUPLICATE") return resumeCheckout(ctx, scope, placed.order, productRowId, input);

  if (placed.order.campaignId) notifyCampaignActivity(ctx.services, scope.tenantId, placed.order.campaignId);
  ctx.logger.info({ module: "orders", orderId: placed.order.id, orderNo: placed.order.orderNo, productId: product.id, quantity: input.quantity }, "order placed");
  return startPayment(ctx, scope, account, placed.order);
}

function failedCheckout(error: UserError): CheckoutResult {
  return { order: null, payment: null, userErrors: [error] };
}

function validateCheckoutInput(ctx: RequestContext, input: CheckoutInputValues): UserError[] {
  const errors: UserError[] = [];
  if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > MAX_QUANTITY) {
    errors.push(userError(ctx, "INVALID_QUANTITY", "order.invalidQuantity", { field: "quantity", max: MAX_QUANTITY, value: input.quantity }, ["quantity"]));
  }
  if (!isValidRequestId(input.requestId)) {
    errors.push(userError(ctx, "INVALID_REQUEST_ID", "order.invalidRequestId", { field: "requestId", value: input.requestId }, ["requestId"]));
  }
  if (input.pageId && input.pageId.length > MAX_PAGE_ID_LENGTH) {
    errors.push(userError(ctx, "TOO_LONG", "validation.tooLong", { field: "pageId", max: MAX_PAGE_ID_LENGTH, length: input.pageId.length }, ["pageId"]));
  }
  return errors;
}

/** Find the campaign the order counts for: the one the page names, else the product's. */
async function resolveCampaign(scope: TenantScope, campaignId: string | null | undefined, product: ProductRow): Promise<string | null> {
  if (!campaignId) return product.campaignId;
  const row = await findCampaignById(scope, parseGlobalId("Campaign", campaignId, "campaignId"));
  if (!row) throw new DomainError("NOT_FOUND", "CAMPAIGN_NOT_FOUND", "campaign.notFound", { id: campaignId }, { field: "campaignId" });
  return row.id;
}

type PlaceOutcome = { kind: "PLACED"; order: OrderRow } | { kind: "OUT_OF_STOCK"; stock: number } | { kind: "DUPLICATE"; order: OrderRow };

/**
 * Reserve the stock and store the order in one transaction, with its ORDER_CREATED event. A concurrent
 * checkout with the same requestId loses on the unique index and gets the winner's order instead.
 */
async function placeOrder(
  ctx: RequestContext,
  scope: TenantScope,
  values: {
    product: ProductRow;
    account: MerchantAccountRow;
    customerId: string;
    appid: string;
    openid: string;
    quantity: number;
    totalAmount: number;
    campaignRowId: string | null;
    pageId: string | null;
    requestId: string;
  },
): Promise<PlaceOutcome> {
  const now = ctx.services.now();
  // WeChat Pay takes time_expire in whole seconds; the local deadline is the same instant.
  const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + orderSettings().paymentTimeoutSeconds * 1000);

  try {
    return await scope.transaction(async (tx) => {
      const reserved = await reserveStock(tx, values.product.id, values.quantity);
      if (!reserved) {
        const current = await findProductById(tx, values.product.id);
        return { kind: "OUT_OF_STOCK", stock: current?.stock ?? 0 } as const;
      }

      const order = await insertOrder(tx, {
        orderNo: newOrderNo(now),
        merchantAccountId: values.account.id,
        productId: values.product.id,
        customerId: values.customerId,
        campaignId: values.campaignRowId,
        pageId: values.pageId,
        appid: values.appid,
        openid: values.openid,
        requestId: values.requestId,
        productName: values.product.name,
        quantity: values.quantity,
        unitPrice: values.product.price,
        totalAmount: values.totalAmount,
        expiresAt,
        timeExpire: formatTimeExpire(expiresAt),
        createdAt: now,
      });
      await recordOrderEvent(tx, order, { type: "ORDER_CREATED", objectId: order.id, occurredAt: now, amount: order.totalAmount });
      return { kind: "PLACED", order } as const;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await findOrderByRequest(scope, values.customerId, values.requestId);
    if (!winner) throw error;
    return { kind: "DUPLICATE", order: winner };
  }
}

/** Respond to a checkout repeated with a requestId that already has an order. */
async function resumeCheckout(
  ctx: RequestContext,
  scope: TenantScope,
  order: OrderRow,
  productRowId: string,
  input: CheckoutInputValues,
): Promise<CheckoutResult> {
  if (order.productId !== productRowId || order.quantity !== input.quantity) {
    return failedCheckout(userError(ctx, "REQUEST_ID_REUSED", "order.requestIdReused", { requestId: input.requestId }, ["requestId"]));
  }

  switch (order.status) {
    case "PENDING": {
      if (order.expiresAt <= ctx.services.now()) return withError(order, userError(ctx, "ORDER_EXPIRED", "order.expired", { orderNo: order.orderNo }));
      const account = (await findMerchantAccountById(scope, order.merchantAccountId))!;
      return startPayment(ctx, scope, account, order);
    }
    case "EXPIRED":
      return withError(order, userError(ctx, "ORDER_EXPIRED", "order.expired", { orderNo: order.orderNo }));
    case "CANCELLED":
      return withError(order, userError(ctx, "ORDER_CANCELLED", "order.cancelled", { orderNo: order.orderNo }));
    case "PAID":
    case "PARTIALLY_REFUNDED":
    case "REFUNDED":
      return { order: Order.fromRow(order), payment: null, userErrors: [] };
    default: {
      const unreachable: never = order.status;
      throw new Error(`unhandled order status ${String(unreachable)}`);
    }
  }
}

function withError(order: OrderRow, error: UserError): CheckoutResult {
  return { order: Order.fromRow(order), payment: null, userErrors: [error] };
}

/**
 * Get a prepay_id for an unpaid order and sign the page's payment parameters. A stored prepay_id is
 * reused: it stays valid for two hours, longer than any order waits for payment. Otherwise the request
 * body is built only from stored columns, so a retry is byte-for-byte the same call and WeChat Pay
 * returns the same prepay_id instead of rejecting a reused out_trade_no.
 */
async function startPayment(ctx: RequestContext, scope: TenantScope, account: MerchantAccountRow, order: OrderRow): Promise<CheckoutResult> {
  const client = ctx.services.wechatPay.clientFor(account);
  if (order.prepayId) {
    return { order: Order.fromRow(order), payment: RequestPayment.from(client.buildRequestPaymentParams(order.appid, order.prepayId)), userErrors: [] };
  }

  const result = await client.createJsapiOrder(jsapiRequestOf(ctx, order));

  if (result.ok) {
    const prepayId = result.value.prepay_id;
    const current = order.prepayId === prepayId ? order : await updateOrderRow(scope, order.id, { prepayId });
    const payment = RequestPayment.from(client.buildRequestPaymentParams(order.appid, prepayId));
    return { order: Order.fromRow(current), payment, userErrors: [] };
  }

  const logFields = { module: "orders", orderId: order.id, orderNo: order.orderNo, code: result.code, outcome: result.outcome };
  if (result.code === "ORDERPAID") {
    // Paid in the meantime: learn the payment from WeChat Pay instead of starting another one.
    const query = await client.queryOrderByOutTradeNo(order.orderNo);
    if (query.ok && query.value.trade_state === "SUCCESS") {
      const settled = await applyPaidTransaction(ctx.services, account, query.value);
      if ("order" in settled) return { order: Order.fromRow(settled.order), payment: null, userErrors: [] };
    }
  }
  if (result.outcome !== "definitive") {
    ctx.logger.warn(logFields, "creating the WeChat Pay order failed; the page may retry");
    return withError(order, userError(ctx, "PAYMENT_UNAVAILABLE", "order.paymentUnavailable"));
  }

  ctx.logger.warn(logFields, "WeChat Pay rejected the order; cancelling it");
  const cancelled = await cancelOrder(scope, order.id, ctx.services.now());
  return withError(cancelled, userError(ctx, "PAYMENT_REJECTED", "order.paymentRejected", { code: result.code, message: result.message }));
}

/** merchant_goods_id is the product's UUID without dashes, because WeChat Pay allows 32 characters. */
export function jsapiRequestOf(ctx: Pick<RequestContext, "services">, order: OrderRow): JsapiOrderRequest {
  return {
    appid: order.appid,
    description: [...order.productName].slice(0, MAX_DESCRIPTION_LENGTH).join(""),
    out_trade_no: order.orderNo,
    time_expire: order.timeExpire,
    notify_url: `${ctx.services.publicBaseUrl()}/wechatpay/notify/${PAYMENT_NOTIFICATION_KIND}/${order.merchantAccountId}`,
    amount: { total: order.totalAmount, currency: "CNY" },
    payer: { openid: order.openid },
    detail: { goods_detail: [{ merchant_goods_id: order.productId.replaceAll("-", ""), goods_name: order.productName, quantity: order.quantity, unit_price: order.unitPrice }] },
  };
}

/** Cancel an order WeChat Pay rejected and give its stock back, unless something moved it on meanwhile. */
async function cancelOrder(scope: TenantScope, orderId: string, now: Date): Promise<OrderRow> {
  return scope.transaction(async (tx) => {
    const order = (await lockOrderById(tx, orderId))!;
    if (order.status !== "PENDING") return order;
    if (order.stockHeld) await releaseStock(tx, order.productId, order.quantity);
    return updateOrderRow(tx, order.id, { status: "CANCELLED", stockHeld: false, closedAt: now });
  });
}
