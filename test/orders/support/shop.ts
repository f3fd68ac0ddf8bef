import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { GraphQLClient } from "graphql-request";
import { TenantScope } from "../../../src/db/tenant-scope.js";
import { upsertCustomer } from "../../../src/modules/customers/customer.repository.js";
import { customerEvents } from "../../../src/modules/events/customer-event.table.js";
import { normalizeMobile } from "../../../src/modules/customers/mobile.js";
import { CheckoutDocument, CreateProductDocument, type CheckoutInput, type CreateProductInput } from "../../generated/graphql.js";
import type { TestApp } from "../../support/app.js";
import { connectSimulatedMerchant, type ConnectedMerchant } from "../../support/merchants.js";

export interface Shop {
  tenant: string;
  admin: GraphQLClient;
  marketer: GraphQLClient;
  merchant: ConnectedMerchant;
}

/** Open a tenant with a connected simulated merchant account, and its admin and marketer clients. */
export async function openShop(test: TestApp, tenant = `shop-${randomUUID().slice(0, 8)}`): Promise<Shop> {
  const admin = await test.client({ tenant, roles: ["admin"] });
  const marketer = await test.client({ tenant, roles: ["marketer"] });
  const merchant = await connectSimulatedMerchant(test, admin);
  return { tenant, admin, marketer, merchant };
}

/** Create an on-sale product of the shop's merchant account; returns its global id. */
export async function createProduct(shop: Shop, input: Partial<CreateProductInput> = {}): Promise<string> {
  const { createProduct: payload } = await shop.marketer.request(CreateProductDocument, {
    input: { merchantAccountId: shop.merchant.id, name: "保温杯", price: 5900, stock: 10, status: "ON_SALE", ...input },
  });
  if (!payload.product) throw new Error(`createProduct failed: ${JSON.stringify(payload.userErrors)}`);
  return payload.product.id;
}

export interface Buyer {
  openid: string;
  client: GraphQLClient;
}

/** Make a customer of the shop on the merchant's official account, optionally with a known mobile number. */
export async function newBuyer(test: TestApp, shop: Shop, mobile?: string): Promise<Buyer> {
  const openid = test.app.services.simulator!.customer.openid(shop.merchant.appid);
  if (mobile) {
    const normalized = normalizeMobile(mobile);
    if (!normalized) throw new Error(`${mobile} is not a mobile number`);
    await upsertCustomer(new TenantScope(shop.tenant, test.app.services.db), { appid: shop.merchant.appid, openid, mobile: normalized });
  }
  const client = await test.client({ tenant: shop.tenant, roles: ["customer"], appid: shop.merchant.appid, openid });
  return { openid, client };
}

export async function checkout(buyer: Buyer, input: Partial<CheckoutInput> & { productId: string }) {
  const { checkout: payload } = await buyer.client.request(CheckoutDocument, {
    input: { quantity: 1, requestId: randomUUID(), ...input },
  });
  return payload;
}

/** Check out and fail the test unless an order with payment parameters comes back. */
export async function placeOrder(buyer: Buyer, input: Partial<CheckoutInput> & { productId: string }) {
  const payload = await checkout(buyer, input);
  if (!payload.order || !payload.payment) throw new Error(`checkout failed: ${JSON.stringify(payload.userErrors)}`);
  return { order: payload.order, payment: payload.payment };
}

/** Pay an order as the customer in WeChat and wait until every notification is delivered. */
export async function pay(test: TestApp, shop: Shop, orderNo: string, couponId?: string): Promise<void> {
  const simulator = test.app.services.simulator!;
  simulator.customer.payOrder(shop.merchant.credentials.mchid, orderNo, couponId ? { coupon_id: couponId } : {});
  await simulator.notifications.waitForIdle();
}

/** Read the tenant's customer events of one type, oldest first. */
export async function eventsOf(test: TestApp, tenant: string, type: (typeof customerEvents.$inferSelect)["type"]) {
  return test.app.services.db
    .select()
    .from(customerEvents)
    .where(and(eq(customerEvents.tenantId, tenant), eq(customerEvents.type, type)))
    .orderBy(asc(customerEvents.occurredAt));
}

/** Make a clock that tests move forward to cross expiry deadlines, while the simulator keeps real time. */
export function movableClock() {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance(ms: number) {
      offsetMs += ms;
    },
  };
}

/** Find the simulator's copy of an order. */
export function remoteOrder(test: TestApp, shop: Shop, orderNo: string) {
  return test.app.services.simulator!.state.orders(shop.merchant.credentials.mchid).find((order) => order.out_trade_no === orderNo);
}
