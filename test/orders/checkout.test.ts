import { randomUUID, verify } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientError } from "graphql-request";
import { createWechatPayClient } from "../../src/wechatpay/index.js";
import { ConfirmPaymentDocument, OrderDocument, ProductDocument, UpdateProductDocument } from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { checkout, createProduct, eventsOf, newBuyer, openShop, pay, placeOrder, remoteOrder, type Shop } from "./support/shop.js";

let test: TestApp;
let shop: Shop;

beforeAll(async () => {
  test = await startTestApp();
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

describe("checkout", () => {
  it("reserves stock and signs the payment parameters", async () => {
    const productId = await createProduct(shop, { price: 5900, stock: 5 });
    const buyer = await newBuyer(test, shop);

    const { order, payment } = await placeOrder(buyer, { productId, quantity: 2, pageId: "page-1" });

    expect(order.status).toBe("PENDING");
    expect(order.totalAmount).toBe(11800);
    expect(order.orderNo).toMatch(/^[0-9]{26}$/);
    expect(await stockOf(productId)).toBe(3);
    expect(payment.appId).toBe(shop.merchant.appid);
    expect(payment.signType).toBe("RSA");
    expect(payment.package).toMatch(/^prepay_id=wx/);
    const message = `${payment.appId}\n${payment.timeStamp}\n${payment.nonceStr}\n${payment.package}\n`;
    const signed = verify("RSA-SHA256", Buffer.from(message), shop.merchant.credentials.merchantCertificatePem, Buffer.from(payment.paySign, "base64"));
    expect(signed).toBe(true);

    const remote = remoteOrder(test, shop, order.orderNo);
    expect(remote?.total).toBe(11800);
    expect(remote?.notify_url).toContain("/wechatpay/notify/order-payment/");
    expect(new Date(remote!.timeExpireMs!).toISOString()).toBe(order.expiresAt);
  });

  it("returns the same order for a repeated requestId", async () => {
    const productId = await createProduct(shop, { stock: 5 });
    const buyer = await newBuyer(test, shop);
    const requestId = randomUUID();

    const [first, second] = await Promise.all([
      placeOrder(buyer, { productId, requestId }),
      placeOrder(buyer, { productId, requestId }),
    ]);
    const third = await placeOrder(buyer, { productId, requestId });

    expect(second.order.id).toBe(first.order.id);
    expect(third.order.id).toBe(first.order.id);
    expect(third.payment.package).toBe(first.payment.package);
    expect(await stockOf(productId)).toBe(4);

    const reused = await checkout(buyer, { productId, requestId, quantity: 2 });
    expect(reused.userErrors.map((error) => error.code)).toEqual(["REQUEST_ID_REUSED"]);
  });

  it("rejects sold-out, off-sale and bad input", async () => {
    const productId = await createProduct(shop, { stock: 1, name: "限量款" });
    const buyer = await newBuyer(test, shop);

    const tooMany = await checkout(buyer, { productId, quantity: 2 });
    expect(tooMany.userErrors).toEqual([{ code: "OUT_OF_STOCK", field: ["quantity"], message: "Only 1 of 限量款 are left, fewer than the 2 ordered." }]);

    const badQuantity = await checkout(buyer, { productId, quantity: 0, requestId: "bad id!" });
    expect(badQuantity.userErrors.map((error) => error.code)).toEqual(["INVALID_QUANTITY", "INVALID_REQUEST_ID"]);

    await shop.marketer.request(UpdateProductDocument, { input: { id: productId, status: "OFF_SALE" } });
    const offSale = await checkout(buyer, { productId });
    expect(offSale.userErrors.map((error) => error.code)).toEqual(["NOT_ON_SALE"]);
    expect(await stockOf(productId)).toBe(1);
  });

  it("lets the page retry when WeChat Pay is unreachable", async () => {
    const simulator = test.app.services.simulator!;
    const productId = await createProduct(shop, { stock: 2 });
    const buyer = await newBuyer(test, shop);
    const requestId = randomUUID();

    simulator.faults.inject({ mchid: shop.merchant.credentials.mchid, operation: "createJsapiOrder", fault: { errorCode: "SYSTEM_ERROR" }, times: 10 });
    const failed = await checkout(buyer, { productId, requestId });
    simulator.faults.clear();
    expect(failed.userErrors.map((error) => error.code)).toEqual(["PAYMENT_UNAVAILABLE"]);
    expect(failed.order?.status).toBe("PENDING");
    expect(failed.payment).toBeNull();
    expect(await stockOf(productId)).toBe(1);

    const retried = await placeOrder(buyer, { productId, requestId });
    expect(retried.order.id).toBe(failed.order?.id);
    expect(retried.payment.package).toMatch(/^prepay_id=/);
    expect(await stockOf(productId)).toBe(1);
  });

  it("cancels an order WeChat Pay rejects", async () => {
    const simulator = test.app.services.simulator!;
    const productId = await createProduct(shop, { stock: 2 });
    const buyer = await newBuyer(test, shop);

    simulator.faults.inject({ mchid: shop.merchant.credentials.mchid, operation: "createJsapiOrder", fault: { errorCode: "PARAM_ERROR" } });
    const rejected = await checkout(buyer, { productId });

    expect(rejected.userErrors.map((error) => error.code)).toEqual(["PAYMENT_REJECTED"]);
    expect(rejected.order?.status).toBe("CANCELLED");
    expect(rejected.order?.closedAt).not.toBeNull();
    expect(await stockOf(productId)).toBe(2);
  });

  it("rejects a customer of another AppID", async () => {
    const productId = await createProduct(shop);
    const stranger = await test.client({ tenant: shop.tenant, roles: ["customer"], appid: "wx00000000000000ff", openid: "o-stranger" });

    const error = await stranger
      .request(`mutation($id: ID!) { checkout(input: { productId: $id, quantity: 1, requestId: "r1" }) { order { id } } }`, { id: productId })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).response.errors?.[0]?.extensions?.["reason"]).toBe("APPID_NOT_BOUND");
  });

  it("is for customers only", async () => {
    const productId = await createProduct(shop);
    const error = await shop.marketer
      .request(`mutation($id: ID!) { checkout(input: { productId: $id, quantity: 1, requestId: "r1" }) { order { id } } }`, { id: productId })
      .catch((caught: unknown) => caught);
    expect((error as ClientError).response.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
  });
});

describe("payment", () => {
  it("marks the order paid from the notification", async () => {
    const productId = await createProduct(shop, { price: 2500, stock: 3 });
    const buyer = await newBuyer(test, shop);
    const { order } = await placeOrder(buyer, { productId, quantity: 2 });

    await pay(test, shop, order.orderNo);

    const paid = await orderOf(order.id);
    expect(paid.status).toBe("PAID");
    expect(paid.payerTotal).toBe(5000);
    expect(paid.discountAmount).toBe(0);
    expect(paid.transactionId).toMatch(/^\d+$/);
    expect(paid.paidAt).not.toBeNull();
    expect(await stockOf(productId)).toBe(1);
  });

  it("records the voucher deduction and its redemption once", async () => {
    const simulator = test.app.services.simulator!;
    const { mchid } = shop.merchant.credentials;
    const stock = simulator.createStock(mchid, { stock_name: "满50减5", coupon_amount: 500, transaction_minimum: 5000, max_coupons: 10, max_coupons_per_user: 2 });
    const productId = await createProduct(shop, { price: 5900, stock: 2 });
    const buyer = await newBuyer(test, shop);

    const client = createWechatPayClient(shop.merchant.credentials);
    const sent = await client.sendCoupon({ openid: buyer.openid, stock_id: String(stock.stock_id), out_request_no: `send${Date.now()}`, appid: shop.merchant.appid, stock_creator_mchid: mchid });
    client.close();
    if (!sent.ok) throw new Error(`sendCoupon failed: ${sent.code}`);

    const { order } = await placeOrder(buyer, { productId });
    simulator.faults.inject({ mchid, operation: "TRANSACTION.SUCCESS", fault: { duplicate: true } });
    await pay(test, shop, order.orderNo, sent.value.coupon_id);

    const paid = await orderOf(order.id);
    expect(paid.status).toBe("PAID");
    expect(paid.payerTotal).toBe(5400);
    expect(paid.discountAmount).toBe(500);
    expect(paid.promotions).toEqual([{ couponId: sent.value.coupon_id, stockId: String(stock.stock_id), amount: 500, type: "CASH" }]);

    const redeemed = (await eventsOf(test, shop.tenant, "VOUCHER_REDEEMED")).filter((event) => event.wechatObjectId === sent.value.coupon_id);
    expect(redeemed).toHaveLength(1);
    expect(redeemed[0]!.eventKey).toBe(`VOUCHER_REDEEMED:${sent.value.coupon_id}`);
    expect(redeemed[0]!.amount).toBe(500);
    const paidEvents = (await eventsOf(test, shop.tenant, "ORDER_PAID")).filter((event) => event.wechatObjectId === paid.transactionId);
    expect(paidEvents).toHaveLength(1);
    expect(paidEvents[0]!.amount).toBe(5400);
  });

  it("applies duplicate and out-of-order notifications once", async () => {
    const simulator = test.app.services.simulator!;
    const { mchid } = shop.merchant.credentials;
    const productId = await createProduct(shop, { price: 1000, stock: 5 });
    const buyer = await newBuyer(test, shop);
    const first = await placeOrder(buyer, { productId });
    const second = await placeOrder(buyer, { productId });

    simulator.faults.inject({ mchid, operation: "TRANSACTION.SUCCESS", fault: { outOfOrder: true } });
    simulator.faults.inject({ mchid, operation: "TRANSACTION.SUCCESS", fault: { duplicate: true } });
    simulator.customer.payOrder(mchid, first.order.orderNo);
    simulator.customer.payOrder(mchid, second.order.orderNo);
    await simulator.notifications.waitForIdle();

    const deliveries = simulator.notifications.deliveries.filter((delivery) => delivery.mchid === mchid && delivery.eventType === "TRANSACTION.SUCCESS");
    expect(deliveries.slice(-3).map((delivery) => delivery.statusCode)).toEqual([204, 204, 204]);
    expect((await orderOf(first.order.id)).status).toBe("PAID");
    expect((await orderOf(second.order.id)).status).toBe("PAID");
    const paidEvents = (await eventsOf(test, shop.tenant, "ORDER_PAID")).filter((event) => [first.order.orderNo, second.order.orderNo].includes(String(event.attributes["orderNo"])));
    expect(paidEvents).toHaveLength(2);
    expect(await stockOf(productId)).toBe(3);
  });

  it("ignores a forged notification", async () => {
    const simulator = test.app.services.simulator!;
    const { mchid } = shop.merchant.credentials;
    const productId = await createProduct(shop);
    const buyer = await newBuyer(test, shop);
    const { order } = await placeOrder(buyer, { productId });

    simulator.faults.inject({ mchid, operation: "TRANSACTION.SUCCESS", fault: { forgeSignature: true } });
    simulator.customer.payOrder(mchid, order.orderNo);
    await simulator.notifications.waitForIdle();

    const attempts = simulator.notifications.deliveries.filter((delivery) => delivery.mchid === mchid).slice(-2);
    expect(attempts.map((attempt) => [attempt.signature, attempt.statusCode])).toEqual([
      ["forged", 401],
      ["genuine", 204],
    ]);
    expect((await orderOf(order.id)).status).toBe("PAID");
  });

  it("confirmPayment asks WeChat Pay instead of trusting the page", async () => {
    const simulator = test.app.services.simulator!;
    const { mchid } = shop.merchant.credentials;
    const productId = await createProduct(shop);
    const buyer = await newBuyer(test, shop);
    const { order } = await placeOrder(buyer, { productId });

    const unpaid = await buyer.client.request(ConfirmPaymentDocument, { orderId: order.id });
    expect(unpaid.confirmPayment.order?.status).toBe("PENDING");

    simulator.faults.inject({ mchid, operation: "TRANSACTION.SUCCESS", fault: { delayMs: 1500 } });
    simulator.customer.payOrder(mchid, order.orderNo);
    const confirmed = await buyer.client.request(ConfirmPaymentDocument, { orderId: order.id });
    expect(confirmed.confirmPayment.order?.status).toBe("PAID");
    expect(confirmed.confirmPayment.order?.transactionId).toBe(remoteOrder(test, shop, order.orderNo)?.transaction_id);

    await simulator.notifications.waitForIdle();
    const paidEvents = (await eventsOf(test, shop.tenant, "ORDER_PAID")).filter((event) => event.attributes["orderNo"] === order.orderNo);
    expect(paidEvents).toHaveLength(1);

    const other = await newBuyer(test, shop);
    const error = await other.client.request(ConfirmPaymentDocument, { orderId: order.id }).catch((caught: unknown) => caught);
    expect((error as ClientError).response.errors?.[0]?.extensions?.["code"]).toBe("NOT_FOUND");
  });

  it("records ORDER_CREATED and ORDER_PAID with the order's ids", async () => {
    const productId = await createProduct(shop, { price: 300 });
    const buyer = await newBuyer(test, shop);
    const { order } = await placeOrder(buyer, { productId, pageId: "page-events" });
    await pay(test, shop, order.orderNo);

    const created = (await eventsOf(test, shop.tenant, "ORDER_CREATED")).filter((event) => event.attributes["orderNo"] === order.orderNo);
    const paid = (await eventsOf(test, shop.tenant, "ORDER_PAID")).filter((event) => event.attributes["orderNo"] === order.orderNo);
    expect(created).toHaveLength(1);
    expect(created[0]!.source).toBe("PAGE");
    expect(created[0]!.amount).toBe(300);
    expect(created[0]!.attributes["pageId"]).toBe("page-events");
    expect(paid).toHaveLength(1);
    expect(paid[0]!.source).toBe("PAYMENT");
    expect(paid[0]!.openid).toBe(buyer.openid);
    expect(paid[0]!.orderId).toBe(created[0]!.orderId);
  });
});
