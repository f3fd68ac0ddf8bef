import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientError } from "graphql-request";
import { decodeGlobalId } from "../../src/graphql/relay/global-id.js";
import { CreateCampaignDocument, OrdersDocument, type OrderFilter, type OrderSortInput } from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { createProduct, movableClock, newBuyer, openShop, pay, placeOrder, type Shop } from "./support/shop.js";

const DAY = 86_400_000;
const clock = movableClock();
let test: TestApp;
let shop: Shop;
let cup: string;
let hat: string;
let campaignId: string;
let dayTwo: Date;
/** Order numbers by the name used in the tests. */
const placed: Record<string, string> = {};

beforeAll(async () => {
  test = await startTestApp({ now: clock.now });
  shop = await openShop(test);
  const { createCampaign } = await shop.marketer.request(CreateCampaignDocument, { input: { name: "周年庆" } });
  campaignId = createCampaign.campaign!.id;
  cup = await createProduct(shop, { name: "杯子", price: 1000, stock: 50 });
  hat = await createProduct(shop, { name: "帽子", price: 3000, stock: 50 });

  const first = await newBuyer(test, shop, "+8613800001111");
  const second = await newBuyer(test, shop, "13800002222");
  const third = await newBuyer(test, shop, "13912345678");
  const anonymous = await newBuyer(test, shop);

  placed["firstCup"] = (await placeOrder(first, { productId: cup })).order.orderNo;
  placed["secondHat"] = (await placeOrder(second, { productId: hat, campaignId, pageId: "page-2", quantity: 2 })).order.orderNo;
  await pay(test, shop, placed["firstCup"]!);
  await pay(test, shop, placed["secondHat"]!);

  clock.advance(DAY);
  dayTwo = clock.now();
  placed["thirdCup"] = (await placeOrder(third, { productId: cup, quantity: 2 })).order.orderNo;
  placed["anonymousHat"] = (await placeOrder(anonymous, { productId: hat })).order.orderNo;
  placed["firstHat"] = (await placeOrder(first, { productId: hat })).order.orderNo;
  await pay(test, shop, placed["thirdCup"]!);
});

afterAll(async () => {
  await test?.stop();
});

async function search(filter: OrderFilter, sort?: OrderSortInput) {
  const { orders } = await shop.marketer.request(OrdersDocument, { filter, sort, first: 50 });
  const names = Object.fromEntries(Object.entries(placed).map(([name, orderNo]) => [orderNo, name]));
  return { total: orders.totalCount, names: orders.edges.map((edge) => names[edge.node.orderNo]) };
}

describe("orders search", () => {
  it("finds by whole mobile in any notation", async () => {
    expect(await search({ mobile: "138-0000-1111" })).toEqual({ total: 2, names: ["firstHat", "firstCup"] });
    expect(await search({ mobile: "+86 138 0000 2222" })).toEqual({ total: 1, names: ["secondHat"] });
    expect(await search({ mobile: "13800009999" })).toEqual({ total: 0, names: [] });
  });

  it("finds by mobile prefix", async () => {
    expect(await search({ mobilePrefix: "138" })).toEqual({ total: 3, names: ["firstHat", "secondHat", "firstCup"] });
    expect(await search({ mobilePrefix: "+86 1391" })).toEqual({ total: 1, names: ["thirdCup"] });
  });

  it("rejects a malformed mobile", async () => {
    const error = await shop.marketer.request(OrdersDocument, { filter: { mobile: "12345" } }).catch((caught: unknown) => caught);
    const extensions = (error as ClientError).response.errors?.[0]?.extensions;
    expect(extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(extensions?.["reason"]).toBe("INVALID_MOBILE");
  });

  it("finds by product, campaign and page", async () => {
    expect(await search({ productId: cup })).toEqual({ total: 2, names: ["thirdCup", "firstCup"] });
    expect(await search({ campaignId })).toEqual({ total: 1, names: ["secondHat"] });
    expect(await search({ pageId: "page-2" })).toEqual({ total: 1, names: ["secondHat"] });
    expect(await search({ productId: cup, mobilePrefix: "139" })).toEqual({ total: 1, names: ["thirdCup"] });
  });

  it("finds by creation time", async () => {
    expect(await search({ createdFrom: dayTwo.toISOString() })).toEqual({ total: 3, names: ["firstHat", "anonymousHat", "thirdCup"] });
    expect(await search({ createdBefore: dayTwo.toISOString() })).toEqual({ total: 2, names: ["secondHat", "firstCup"] });
    expect(await search({ createdFrom: new Date(dayTwo.getTime() - DAY * 2).toISOString(), createdBefore: new Date(dayTwo.getTime() - DAY * 1.5).toISOString() })).toEqual({ total: 0, names: [] });
  });

  it("finds by status", async () => {
    const paid = await search({ status: ["PAID"] });
    expect(paid.names.sort()).toEqual(["firstCup", "secondHat", "thirdCup"]);
    const unpaid = await search({ status: ["PENDING", "EXPIRED"] });
    expect(unpaid.names.sort()).toEqual(["anonymousHat", "firstHat"]);
  });

  it("sorts by amount and pages with totals", async () => {
    const descending = (await search({}, { field: "TOTAL_AMOUNT", direction: "DESC" })).names;
    expect(descending[0]).toBe("secondHat");
    expect(descending.slice(1, 3).sort()).toEqual(["anonymousHat", "firstHat"]);
    expect(descending.slice(3)).toEqual(["thirdCup", "firstCup"]);

    const seen: { id: string; orderNo: string; totalAmount: number }[] = [];
    let after: string | null = null;
    for (;;) {
      const { orders }: Awaited<ReturnType<typeof fetchPage>> = await fetchPage(after);
      expect(orders.totalCount).toBe(5);
      expect(orders.edges.length).toBeLessThanOrEqual(2);
      seen.push(...orders.edges.map((edge) => edge.node));
      if (!orders.pageInfo.hasNextPage) break;
      after = orders.pageInfo.endCursor;
    }

    // Equal amounts (the two 3000 fen hats) are ordered by id, so no page repeats or skips one.
    const rowId = (globalId: string) => decodeGlobalId(globalId)!.id;
    const expected = [...seen].sort((a, b) => a.totalAmount - b.totalAmount || (rowId(a.id) < rowId(b.id) ? -1 : 1));
    expect(seen.map((order) => order.orderNo)).toEqual(expected.map((order) => order.orderNo));
    expect(new Set(seen.map((order) => order.orderNo))).toEqual(new Set(Object.values(placed)));
  });

  it("loads products and customers in batches", async () => {
    const db = test.app.services.db;
    const select = db.select.bind(db);
    let selects = 0;
    db.select = ((...args: Parameters<typeof select>) => {
      selects += 1;
      return select(...args);
    }) as typeof db.select;
    try {
      const { orders } = await shop.marketer.request(OrdersDocument, { first: 50 });
      expect(orders.edges).toHaveLength(5);
      expect(orders.edges.every((edge) => edge.node.product !== null && edge.node.customer !== null)).toBe(true);
      expect(orders.edges.find((edge) => edge.node.orderNo === placed["firstCup"])!.node.customer?.mobile).toBe("+8613800001111");
    } finally {
      db.select = select;
    }
    // The page, its count, and one batch each for products, customers and campaigns.
    expect(selects).toBeLessThanOrEqual(6);
  });

  it("shows nothing of another tenant", async () => {
    const stranger = await test.client({ tenant: "someone-else", roles: ["analyst"] });
    const { orders } = await stranger.request(OrdersDocument, {});
    expect(orders.totalCount).toBe(0);
  });
});

function fetchPage(after: string | null) {
  return shop.marketer.request(OrdersDocument, { first: 2, after, sort: { field: "TOTAL_AMOUNT", direction: "ASC" } });
}
