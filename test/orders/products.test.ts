import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientError } from "graphql-request";
import { sniffPictureType, decodePicture, MAX_PICTURE_BYTES } from "../../src/modules/products/product-picture.js";
import {
  CreateCampaignDocument,
  CreateProductDocument,
  DeleteProductDocument,
  OrderDocument,
  ProductDocument,
  ProductModuleDocument,
  ProductsDocument,
  UpdateProductDocument,
} from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { createProduct, newBuyer, openShop, placeOrder, type Shop } from "./support/shop.js";

let test: TestApp;
let shop: Shop;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("IHDR-and-some-pixels")]);

beforeAll(async () => {
  test = await startTestApp();
  shop = await openShop(test);
});

afterAll(async () => {
  await test?.stop();
});

function codes(payload: { userErrors: { code: string }[] }): string[] {
  return payload.userErrors.map((error) => error.code);
}

describe("products", () => {
  it("creates a product with labels, attributes and a campaign", async () => {
    const { createCampaign } = await shop.marketer.request(CreateCampaignDocument, { input: { name: "新品上市" } });
    const campaignId = createCampaign.campaign!.id;

    const { createProduct: payload } = await shop.marketer.request(CreateProductDocument, {
      input: {
        merchantAccountId: shop.merchant.id,
        campaignId,
        name: " 玻璃水杯 ",
        introduction: "耐热玻璃，容量 350ml",
        labels: ["新品", "热销", "新品"],
        price: 3990,
        stock: 100,
        status: "ON_SALE",
        attributes: [
          { key: "颜色", value: "透明" },
          { key: "容量", value: "350ml" },
        ],
        picture: { url: "https://cdn.example.com/cup.png" },
      },
    });

    expect(payload.userErrors).toEqual([]);
    expect(payload.product).toMatchObject({
      name: "玻璃水杯",
      labels: ["新品", "热销"],
      price: 3990,
      stock: 100,
      status: "ON_SALE",
      attributes: [
        { key: "颜色", value: "透明" },
        { key: "容量", value: "350ml" },
      ],
      pictureUrl: "https://cdn.example.com/cup.png",
      merchantAccount: { id: shop.merchant.id },
      campaign: { id: campaignId, name: "新品上市" },
    });
  });

  it("reports every invalid field", async () => {
    const { createProduct: payload } = await shop.marketer.request(CreateProductDocument, {
      input: {
        merchantAccountId: shop.merchant.id,
        name: "  ",
        price: 0,
        stock: -1,
        labels: Array.from({ length: 21 }, (_, index) => `L${index}`),
        attributes: [
          { key: "尺码", value: "M" },
          { key: "尺码", value: "L" },
        ],
      },
    });
    expect(codes(payload)).toEqual(["REQUIRED", "INVALID_PRICE", "INVALID_STOCK", "TOO_MANY_ITEMS", "DUPLICATE_KEY"]);
    expect(payload.userErrors[4]!.field).toEqual(["attributes", "1", "key"]);
  });

  it("stores an uploaded picture and serves it", async () => {
    const productId = await createProduct(shop, { picture: { upload: `data:image/png;base64,${PNG.toString("base64")}` } });
    const { product } = await shop.marketer.request(ProductDocument, { id: productId });
    expect(product!.pictureUrl).toMatch(new RegExp(`^${test.url}/product-pictures/[0-9a-f-]{36}\\.png$`));

    const response = await fetch(product!.pictureUrl!);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await response.arrayBuffer()).equals(PNG)).toBe(true);

    expect((await fetch(`${test.url}/product-pictures/../secrets.key`)).status).toBe(404);
    expect((await fetch(`${test.url}/product-pictures/00000000-0000-0000-0000-000000000000.png`)).status).toBe(404);
  });

  it("checks pictures by content and size", async () => {
    const attempt = async (picture: { upload?: string; url?: string }) => {
      const { createProduct: payload } = await shop.marketer.request(CreateProductDocument, {
        input: { merchantAccountId: shop.merchant.id, name: "杯子", price: 100, stock: 1, picture },
      });
      return codes(payload);
    };

    const script = Buffer.from("<svg onload=alert(1)>").toString("base64");
    const oversized = Buffer.concat([PNG, Buffer.alloc(MAX_PICTURE_BYTES)]).toString("base64");
    expect(await attempt({ upload: script })).toEqual(["UNSUPPORTED_PICTURE_TYPE"]);
    expect(await attempt({ upload: oversized })).toEqual(["PICTURE_TOO_LARGE"]);
    expect(await attempt({ upload: "not base64!" })).toEqual(["INVALID_PICTURE_ENCODING"]);
    expect(await attempt({ upload: PNG.toString("base64"), url: "https://cdn.example.com/a.png" })).toEqual(["INVALID_PICTURE"]);
    expect(await attempt({ url: "javascript:alert(1)" })).toEqual(["INVALID_PICTURE_URL"]);
  });

  it("updates fields and adjusts stock atomically", async () => {
    const productId = await createProduct(shop, { stock: 5, picture: { url: "https://cdn.example.com/old.png" } });

    const renamed = await shop.marketer.request(UpdateProductDocument, {
      input: { id: productId, name: "新名字", stockDelta: -2, labels: ["促销"], picture: null },
    });
    expect(renamed.updateProduct.product).toMatchObject({ name: "新名字", stock: 3, labels: ["促销"], pictureUrl: null });

    const tooFew = await shop.marketer.request(UpdateProductDocument, { input: { id: productId, stockDelta: -4 } });
    expect(codes(tooFew.updateProduct)).toEqual(["STOCK_BELOW_ZERO"]);

    const both = await shop.marketer.request(UpdateProductDocument, { input: { id: productId, stock: 9, stockDelta: 1 } });
    expect(codes(both.updateProduct)).toEqual(["INVALID_VALUE"]);

    const set = await shop.marketer.request(UpdateProductDocument, { input: { id: productId, stock: 9, status: "OFF_SALE" } });
    expect(set.updateProduct.product).toMatchObject({ stock: 9, status: "OFF_SALE" });
  });

  it("deletes a product but keeps it on its orders", async () => {
    const productId = await createProduct(shop, { name: "将下架" });
    const buyer = await newBuyer(test, shop);
    const { order } = await placeOrder(buyer, { productId });

    const { deleteProduct } = await shop.marketer.request(DeleteProductDocument, { id: productId });
    expect(deleteProduct.deletedProductId).toBe(productId);

    expect((await shop.marketer.request(ProductDocument, { id: productId })).product).toBeNull();
    const listed = await shop.marketer.request(ProductsDocument, { filter: { search: "将下架" } });
    expect(listed.products.totalCount).toBe(0);
    const { order: kept } = await shop.marketer.request(OrderDocument, { id: order.id });
    expect(kept!.product).toEqual({ id: productId, name: "将下架" });

    const again = await shop.marketer.request(DeleteProductDocument, { id: productId }).catch((caught: unknown) => caught);
    expect((again as ClientError).response.errors?.[0]?.extensions?.["code"]).toBe("NOT_FOUND");
  });

  it("lists with filters, search and pages", async () => {
    const own = await openShop(test);
    const { createCampaign } = await own.marketer.request(CreateCampaignDocument, { input: { name: "夏季" } });
    const campaignId = createCampaign.campaign!.id;
    await createProduct(own, { name: "夏日草帽", labels: ["夏季"], campaignId });
    await createProduct(own, { name: "冬日围巾", introduction: "羊毛材质", status: "OFF_SALE" });
    await createProduct(own, { name: "运动水壶", labels: ["夏季", "运动"] });

    const search = async (filter: object) => (await own.marketer.request(ProductsDocument, { filter })).products.edges.map((edge) => edge.node.name);
    expect(await search({ search: "羊毛" })).toEqual(["冬日围巾"]);
    expect(await search({ search: "日" })).toEqual(["冬日围巾", "夏日草帽"]);
    expect(await search({ status: ["OFF_SALE"] })).toEqual(["冬日围巾"]);
    expect(await search({ label: "夏季" })).toEqual(["运动水壶", "夏日草帽"]);
    expect(await search({ campaignId })).toEqual(["夏日草帽"]);
    expect(await search({ merchantAccountId: own.merchant.id })).toHaveLength(3);

    const first = await own.marketer.request(ProductsDocument, { first: 2 });
    expect(first.products.totalCount).toBe(3);
    expect(first.products.pageInfo.hasNextPage).toBe(true);
    const second = await own.marketer.request(ProductsDocument, { first: 2, after: first.products.pageInfo.endCursor });
    expect(second.products.edges.map((edge) => edge.node.name)).toEqual(["夏日草帽"]);

    const stranger = await test.client({ tenant: "another-brand", roles: ["marketer"] });
    expect((await stranger.request(ProductsDocument, {})).products.totalCount).toBe(0);
    const foreign = first.products.edges[0]!.node.id;
    expect((await stranger.request(ProductDocument, { id: foreign })).product).toBeNull();
  });

  it("gives pages only on-sale products of the tenant", async () => {
    const onSale = await createProduct(shop, { name: "在售", stock: 0 });
    const offSale = await createProduct(shop, { name: "未上架", status: "OFF_SALE" });
    const other = await openShop(test);
    const foreign = await createProduct(other, { name: "别家商品" });
    const second = await createProduct(shop, { name: "第二件", labels: ["推荐"] });
    const buyer = await newBuyer(test, shop);

    const { productModule } = await buyer.client.request(ProductModuleDocument, { ids: [second, offSale, foreign, onSale] });

    expect(productModule.map((item) => [item.name, item.soldOut])).toEqual([
      ["第二件", false],
      ["在售", true],
    ]);
    expect(productModule[0]).toMatchObject({ id: second, price: 5900, labels: ["推荐"] });

    const tooMany = await buyer.client.request(ProductModuleDocument, { ids: Array.from({ length: 101 }, () => onSale) }).catch((caught: unknown) => caught);
    expect((tooMany as ClientError).response.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
  });
});

describe("sniffPictureType", () => {
  it("recognises the four picture types", () => {
    expect(sniffPictureType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]))).toBe("image/jpeg");
    expect(sniffPictureType(PNG)).toBe("image/png");
    expect(sniffPictureType(Buffer.from("GIF89a\x01\x00"))).toBe("image/gif");
    expect(sniffPictureType(Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x10, 0, 0, 0]), Buffer.from("WEBPVP8 ")]))).toBe("image/webp");
  });

  it("rejects other content", () => {
    expect(sniffPictureType(Buffer.from("%PDF-1.7"))).toBeUndefined();
    expect(sniffPictureType(Buffer.from("RIFF\x10\x00\x00\x00WAVEfmt "))).toBeUndefined();
    expect(sniffPictureType(Buffer.alloc(0))).toBeUndefined();
  });

  it("measures an upload before decoding it", () => {
    const justOver = Buffer.alloc(MAX_PICTURE_BYTES + 1).toString("base64");
    expect(decodePicture(justOver)).toEqual({ ok: false, problem: "TOO_LARGE", size: MAX_PICTURE_BYTES + 1 });
    const atLimit = Buffer.concat([PNG, Buffer.alloc(MAX_PICTURE_BYTES - PNG.length)]).toString("base64");
    expect(decodePicture(atLimit).ok).toBe(true);
  });
});
