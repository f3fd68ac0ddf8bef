import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientError } from "graphql-request";
import { sweepOrders } from "../../src/modules/orders/order-sweeper.js";
import { createWechatPayClient } from "../../src/wechatpay/index.js";
import { OrderDocument, RefundOrderDocument } from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { createProduct, eventsOf, movableClock, newBuyer, openShop, pay, placeOrder, type Shop } from "./support/shop.js";

const clock = movableClock();
let test: TestApp;
let shop: Shop;

beforeAll(async () => {
  test = await startTestApp({ now: clock.now });
  shop = await openShop(test);
});

afterAll(async () => {
  await test?.stop();
});

/** Place and pay an order of `price` fen. */
async function paidOrder(price = 5900, couponId?: () => Promise<string>) {
  const productId = await createProduct(shop, { price, stock: 5 });
  const buyer = await newBuyer(test, shop);
  const { order } = await placeOrder(buyer, { productId });
  await pay(test, shop, order.orderNo, couponId ? await couponId() : undefined);
  return { order, buyer };
}

async function refund(orderId: string, amount: number, requestId = randomUUID()) {
  const { refundOrder } = await shop.marketer.request(RefundOrderDocument, { input: { orderId, amount, requestId, reason: "顾客申请退款" } });
  return refundOrder;
}

async function orderOf(id: string) {
  const { order } = await shop.marketer.request(OrderDocument, { id });
  return order!;
}

describe("refundOrder", () => {
  it("refunds in parts up to the total", async () => {
    const { order } = await paidOrder(5900);

    const first = await refund(order.id, 1000);
    expect(first.userErrors).toEqual([]);
    expect(first.refund?.refundNo).toMatch(/^R\d{26}$/);
    await test.app.services.simulator!.notifications.waitForIdle();

    const partly = await orderOf(order.id);
    expect(partly.status).toBe("PARTIALLY_REFUNDED");
    expect(partly.refundedAmount).toBe(1000);
    expect(partly.refundableAmount).toBe(4900);
    expect(partly.refunds.map((row) => [row.amount, row.status])).toEqual([[1000, "SUCCESS"]]);

    const tooMuch = await refund(order.id, 4901);
    expect(tooMuch.userErrors).toEqual([
      { code: "REFUND_EXCEEDS_PAID", field: ["amount"], message: `A refund of 4901 fen is more than is left to refund on order ${order.orderNo}: 4900 fen.` },
    ]);

    await refund(order.id, 4900);
    await test.app.services.simulator!.notifications.waitForIdle();
    const full = await orderOf(order.id);
    expect(full.status).toBe("REFUNDED");
    expect(full.refundedAmount).toBe(5900);
    expect(full.refundableAmount).toBe(0);

    const remote = test.app.services.simulator!.state.refunds(shop.merchant.credentials.mchid).filter((row) => row.out_trade_no === order.orderNo);
    expect(remote.map((row) => row.refund).sort((a, b) => a - b)).toEqual([1000, 4900]);

    const events = (await eventsOf(test, shop.tenant, "ORDER_REFUNDED")).filter((event) => event.attributes["orderNo"] === order.orderNo);
    expect(events.map((event) => event.amount).sort((a, b) => a! - b!)).toEqual([1000, 4900]);
  });

  it("never lets concurrent refunds exceed the total", async () => {
    const { order } = await paidOrder(5000);

    const results = await Promise.all([refund(order.id, 3000), refund(order.id, 3000), refund(order.id, 3000)]);
    await test.app.services.simulator!.notifications.waitForIdle();

    expect(results.filter((result) => result.userErrors.length === 0)).toHaveLength(1);
    expect(results.flatMap((result) => result.userErrors.map((error) => error.code))).toEqual(["REFUND_EXCEEDS_PAID", "REFUND_EXCEEDS_PAID"]);
    const after = await orderOf(order.id);
    expect(after.refundedAmount).toBe(3000);
    expect(after.refundableAmount).toBe(2000);
  });

  it("returns the same refund for a repeated requestId", async () => {
    const { order } = await paidOrder(2000);
    const requestId = randomUUID();

    const first = await refund(order.id, 500, requestId);
    const again = await refund(order.id, 500, requestId);
    const changed = await refund(order.id, 600, requestId);

    expect(again.refund?.id).toBe(first.refund?.id);
    expect(changed.userErrors.map((error) => error.code)).toEqual(["REQUEST_ID_REUSED"]);
    await test.app.services.simulator!.notifications.waitForIdle();
    expect((await orderOf(order.id)).refunds).toHaveLength(1);
  });

  it("rejects an unpaid order and a bad amount", async () => {
    const productId = await createProduct(shop);
    const buyer = await newBuyer(test, shop);
    const { order } = await placeOrder(buyer, { productId });

    const unpaid = await refund(order.id, 100);
    expect(unpaid.userErrors.map((error) => error.code)).toEqual(["ORDER_NOT_PAID"]);

    const { order: paid } = await paidOrder(800);
    const zero = await refund(paid.id, 0);
    expect(zero.userErrors.map((error) => error.code)).toEqual(["INVALID_AMOUNT"]);
  });

  it("splits a voucher order's refund with the payer", async () => {
    const simulator = test.app.services.simulator!;
    const { mchid } = shop.merchant.credentials;
    const stock = simulator.createStock(mchid, { stock_name: "立减10元", coupon_amount: 1000, transaction_minimum: 2000, max_coupons: 5, max_coupons_per_user: 5 });
    let buyerOpenid = "";
    const productId = await createProduct(shop, { price: 5000, stock: 2 });
    const buyer = await newBuyer(test, shop);
    buyerOpenid = buyer.openid;
    const { order } = await placeOrder(buyer, { productId });

    const client = createWechatPayClient(shop.merchant.credentials);
    const sent = await client.sendCoupon({ openid: buyerOpenid, stock_id: String(stock.stock_id), out_request_no: `r${Date.now()}`, appid: shop.merchant.appid, stock_creator_mchid: mchid });
    client.close();
    if (!sent.ok) throw new Error(sent.code);
    await pay(test, shop, order.orderNo, sent.value.coupon_id);

    await refund(order.id, 5000);
    await simulator.notifications.waitForIdle();
    const refunded = await orderOf(order.id);
    expect(refunded.status).toBe("REFUNDED");
    expect(refunded.payerTotal).toBe(4000);
    expect(refunded.refunds.map((row) => [row.amount, row.payerRefund])).toEqual([[5000, 4000]]);
  });

  it("applies a duplicated refund notification once", async () => {
    const simulator = test.app.services.simulator!;
    const { order } = await paidOrder(1200);
    simulator.faults.inject({ mchid: shop.merchant.credentials.mchid, operation: "REFUND.SUCCESS", fault: { duplicate: true } });

    await refund(order.id, 1200);
    await simulator.notifications.waitForIdle();

    const refunded = await orderOf(order.id);
    expect(refunded.refundedAmount).toBe(1200);
    const events = (await eventsOf(test, shop.tenant, "ORDER_REFUNDED")).filter((event) => event.attributes["orderNo"] === order.orderNo);
    expect(events).toHaveLength(1);
  });

  it("resubmits a refund whose answer was lost", async () => {
    const simulator = test.app.services.simulator!;
    const { mchid } = shop.merchant.credentials;
    const { order } = await paidOrder(3000);

    simulator.faults.inject({ mchid, operation: "createRefund", fault: { lostResponse: true }, times: 3 });
    const lost = await refund(order.id, 3000);
    simulator.faults.clear();
    expect(lost.refund?.status).toBe("SUBMITTING");

    clock.advance(2 * 60_000);
    await sweepOrders(test.app.services);
    await simulator.notifications.waitForIdle();

    const refunded = await orderOf(order.id);
    expect(refunded.status).toBe("REFUNDED");
    expect(refunded.refunds.map((row) => row.status)).toEqual(["SUCCESS"]);
    expect(simulator.state.refunds(mchid).filter((row) => row.out_trade_no === order.orderNo)).toHaveLength(1);
  });

  it("is for marketers and admins", async () => {
    const { order } = await paidOrder(900);
    const analyst = await test.client({ tenant: shop.tenant, roles: ["analyst"] });
    const error = await analyst
      .request(RefundOrderDocument, { input: { orderId: order.id, amount: 100, requestId: "a1" } })
      .catch((caught: unknown) => caught);
    expect((error as ClientError).response.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
  });
});
