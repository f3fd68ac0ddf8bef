import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepOrders } from "../../src/modules/orders/order-sweeper.js";
import { readOrderSettings } from "../../src/modules/orders/order.settings.js";
import { ConfigError } from "../../src/config/environment.js";
import { OrderDocument, ProductDocument } from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { checkout, createProduct, eventsOf, movableClock, newBuyer, openShop, placeOrder, remoteOrder, type Shop } from "./support/shop.js";

const clock = movableClock();
let test: TestApp;
let shop: Shop;

const SIXTEEN_MINUTES = 16 * 60_000;

beforeAll(async () => {
  test = await startTestApp({ now: clock.now });
  shop = await openShop(test);
});

afterAll(async () => {
  await test?.stop();
});

async function orderOf(id: string) {
  const { order } = await shop.marketer.request(OrderDocument, { id });
  return order!;
}

async function stockOf(productId: string) {
  const { product } = await shop.marketer.request(ProductDocument, { id: productId });
  return product!.stock;
}

describe("order expiry", () => {
  it("closes an unpaid order and releases its stock", async () => {
    const productId = await createProduct(shop, { stock: 3 });
    const buyer = await newBuyer(test, shop);
    const { order } = await placeOrder(buyer, { productId, quantity: 2 });
    expect(new Date(order.expiresAt).getTime() - new Date(order.createdAt).getTime()).toBeGreaterThan(14 * 60_000);
    expect(await stockOf(productId)).toBe(1);

    const early = await sweepOrders(test.app.services);
    expect(early.expired).toBe(0);

    clock.advance(SIXTEEN_MINUTES);
    const report = await sweepOrders(test.app.services);

    expect(report.expired).toBeGreaterThanOrEqual(1);
    const expired = await orderOf(order.id);
    expect(expired.status).toBe("EXPIRED");
    expect(expired.closedAt).not.toBeNull();
    expect(await stockOf(productId)).toBe(3);
    expect(remoteOrder(test, shop, order.orderNo)?.trade_state).toBe("CLOSED");

    const retry = await checkout(buyer, { productId, quantity: 2 });
    expect(retry.order?.status).toBe("PENDING");
  });

  it("takes the stock again for a payment after expiry", async () => {
    const simulator = test.app.services.simulator!;
    const { mchid } = shop.merchant.credentials;
    const productId = await createProduct(shop, { stock: 1, price: 1500 });
    const buyer = await newBuyer(test, shop);
    const { order } = await placeOrder(buyer, { productId });

    // The close call fails, so WeChat Pay (whose clock is behind ours here) still takes the payment.
    simulator.faults.inject({ mchid, operation: "closeOrder", fault: { errorCode: "SYSTEM_ERROR" }, times: 100 });
    clock.advance(SIXTEEN_MINUTES);
    await sweepOrders(test.app.services);
    simulator.faults.clear();
    expect((await orderOf(order.id)).status).toBe("EXPIRED");
    expect(await stockOf(productId)).toBe(1);

    simulator.customer.payOrder(mchid, order.orderNo);
    await simulator.notifications.waitForIdle();

    const paid = await orderOf(order.id);
    expect(paid.status).toBe("PAID");
    expect(paid.paidAfterExpiry).toBe(true);
    expect(paid.stockShortfall).toBe(false);
    expect(await stockOf(productId)).toBe(0);
  });

  it("refunds a payment after expiry when the stock is gone", async () => {
    const simulator = test.app.services.simulator!;
    const { mchid } = shop.merchant.credentials;
    const productId = await createProduct(shop, { stock: 1, price: 2100 });
    const late = await newBuyer(test, shop);
    const { order } = await placeOrder(late, { productId });

    simulator.faults.inject({ mchid, operation: "closeOrder", fault: { errorCode: "SYSTEM_ERROR" }, times: 100 });
    clock.advance(SIXTEEN_MINUTES);
    await sweepOrders(test.app.services);
    simulator.faults.clear();

    const other = await newBuyer(test, shop);
    await placeOrder(other, { productId });
    expect(await stockOf(productId)).toBe(0);

    simulator.customer.payOrder(mchid, order.orderNo);
    await simulator.notifications.waitForIdle();
    await simulator.notifications.waitForIdle();

    const refunded = await orderOf(order.id);
    expect(refunded.paidAfterExpiry).toBe(true);
    expect(refunded.stockShortfall).toBe(true);
    expect(refunded.status).toBe("REFUNDED");
    expect(refunded.refunds.map((row) => [row.amount, row.status, row.automatic])).toEqual([[2100, "SUCCESS", true]]);
    expect(await stockOf(productId)).toBe(0);

    const events = (await eventsOf(test, shop.tenant, "ORDER_REFUNDED")).filter((event) => event.attributes["orderNo"] === order.orderNo);
    expect(events).toHaveLength(1);
  });

  it("applies a payment it learns of while closing", async () => {
    const simulator = test.app.services.simulator!;
    const { mchid } = shop.merchant.credentials;
    const productId = await createProduct(shop, { stock: 2 });
    const buyer = await newBuyer(test, shop);
    const { order } = await placeOrder(buyer, { productId });

    // The notification is still on its way when the sweeper tries to close the order.
    simulator.faults.inject({ mchid, operation: "TRANSACTION.SUCCESS", fault: { delayMs: 2000 } });
    simulator.customer.payOrder(mchid, order.orderNo);
    clock.advance(SIXTEEN_MINUTES);
    await sweepOrders(test.app.services);

    const paid = await orderOf(order.id);
    expect(paid.status).toBe("PAID");
    expect(paid.paidAfterExpiry).toBe(false);
    expect(await stockOf(productId)).toBe(1);
    await simulator.notifications.waitForIdle();
  });
});

describe("readOrderSettings", () => {
  it("defaults to 15 minutes", () => {
    expect(readOrderSettings({}).paymentTimeoutSeconds).toBe(900);
  });

  it("reads ORDER_PAYMENT_TIMEOUT_SECONDS", () => {
    expect(readOrderSettings({ ORDER_PAYMENT_TIMEOUT_SECONDS: "300" }).paymentTimeoutSeconds).toBe(300);
  });

  it("rejects a value beyond two hours", () => {
    expect(() => readOrderSettings({ ORDER_PAYMENT_TIMEOUT_SECONDS: "7201" })).toThrow(ConfigError);
    expect(() => readOrderSettings({ ORDER_PAYMENT_TIMEOUT_SECONDS: "ten" })).toThrow(/ORDER_PAYMENT_TIMEOUT_SECONDS/);
  });
});
