import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { products } from "../../src/modules/products/product.table.js";
import { parseGlobalId } from "../../src/graphql/relay/global-id.js";
import { OrdersDocument } from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { checkout, createProduct, newBuyer, openShop, type Shop } from "./support/shop.js";

let test: TestApp;
let shop: Shop;

beforeAll(async () => {
  test = await startTestApp();
  shop = await openShop(test);
});

afterAll(async () => {
  await test?.stop();
});

/** Read the stock every few ms while `work` runs; returns the lowest value seen. */
async function watchStock(productId: string, work: () => Promise<unknown>): Promise<number> {
  const rowId = parseGlobalId("Product", productId);
  let lowest = Number.POSITIVE_INFINITY;
  let running = true;
  const watcher = (async () => {
    while (running) {
      const [row] = await test.app.services.db.select({ stock: products.stock }).from(products).where(eq(products.id, rowId));
      lowest = Math.min(lowest, row!.stock);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  await work();
  running = false;
  await watcher;
  return lowest;
}

describe("stock race", () => {
  it("sells exactly 10 items to 100 buyers", async () => {
    const productId = await createProduct(shop, { stock: 10, price: 990, name: "秒杀商品" });
    const buyers = await Promise.all(Array.from({ length: 100 }, () => newBuyer(test, shop)));

    let results: Awaited<ReturnType<typeof checkout>>[] = [];
    const lowest = await watchStock(productId, async () => {
      results = await Promise.all(buyers.map((buyer) => checkout(buyer, { productId })));
    });

    const placed = results.filter((result) => result.order !== null);
    const rejections = results.flatMap((result) => result.userErrors.map((error) => error.code));
    expect(placed).toHaveLength(10);
    expect(rejections).toEqual(Array.from({ length: 90 }, () => "OUT_OF_STOCK"));
    expect(lowest).toBeGreaterThanOrEqual(0);

    const simulator = test.app.services.simulator!;
    for (const result of placed) simulator.customer.payOrder(shop.merchant.credentials.mchid, result.order!.orderNo);
    await simulator.notifications.waitForIdle();

    const { orders } = await shop.marketer.request(OrdersDocument, { filter: { productId }, first: 100 });
    expect(orders.totalCount).toBe(10);
    expect(orders.edges.filter((edge) => edge.node.status === "PAID")).toHaveLength(10);
    expect(orders.edges[0]!.node.product?.stock).toBe(0);
  });

  it("never splits the last items between larger orders", async () => {
    const productId = await createProduct(shop, { stock: 10 });
    const buyers = await Promise.all(Array.from({ length: 20 }, () => newBuyer(test, shop)));

    let results: Awaited<ReturnType<typeof checkout>>[] = [];
    const lowest = await watchStock(productId, async () => {
      results = await Promise.all(buyers.map((buyer) => checkout(buyer, { productId, quantity: 3 })));
    });

    expect(results.filter((result) => result.order !== null)).toHaveLength(3);
    expect(lowest).toBeGreaterThanOrEqual(0);
    const { orders } = await shop.marketer.request(OrdersDocument, { filter: { productId }, first: 100 });
    expect(orders.edges[0]!.node.product?.stock).toBe(1);
  });
});
