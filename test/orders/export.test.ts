import { createHash, randomUUID } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGlobalId } from "../../src/graphql/relay/global-id.js";
import { findCustomerByOpenid } from "../../src/modules/customers/customer.repository.js";
import { TenantScope } from "../../src/db/tenant-scope.js";
import { ExportOrdersDocument, OrderExportDocument, OrdersDocument, type ExportOrdersInput, type OrderExportFieldsFragment } from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { signTestToken } from "../support/tokens.js";
import { watchExportProgress } from "./support/progress.js";
import { createProduct, movableClock, newBuyer, openShop, pay, placeOrder, type Buyer, type Shop } from "./support/shop.js";

const BULK_ORDERS = 100_000;

// A full collection before each heap reading measures what the export keeps alive, not garbage that
// V8 has simply not collected yet.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

function liveHeap(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}
const clock = movableClock();
let test: TestApp;
let shop: Shop;
let bulkProductId: string;
let trickyProductId: string;
let trickyOrderNo: string;
let bulkBuyers: Buyer[];

beforeAll(async () => {
  test = await startTestApp({ now: clock.now });
  shop = await openShop(test);

  trickyProductId = await createProduct(shop, { name: '=HYPERLINK("http://127.0.0.1/x","点我")', price: 1234, stock: 5 });
  const tricky = await newBuyer(test, shop, "13700007777");
  trickyOrderNo = (await placeOrder(tricky, { productId: trickyProductId, pageId: "-page, with \"quotes\"" })).order.orderNo;
  await pay(test, shop, trickyOrderNo);

  bulkProductId = await createProduct(shop, { name: "批量商品", price: 100, stock: 1 });
  bulkBuyers = await Promise.all(Array.from({ length: 10 }, (_, index) => newBuyer(test, shop, `1380000${String(index).padStart(4, "0")}`)));
  await insertBulkOrders();
}, 60_000);

afterAll(async () => {
  await test?.stop();
});

/**
 * Insert BULK_ORDERS orders in one statement: order g belongs to buyer g % 10, costs g fen, and was
 * created g seconds after 2025-01-01T00:00:00Z; every third one is paid.
 */
async function insertBulkOrders(): Promise<void> {
  const scope = new TenantScope(shop.tenant, test.app.services.db);
  const customerIds: string[] = [];
  for (const buyer of bulkBuyers) customerIds.push((await findCustomerByOpenid(scope, shop.merchant.appid, buyer.openid))!.id);
  const openids = bulkBuyers.map((buyer) => buyer.openid);
  const productRowId = parseGlobalId("Product", bulkProductId);
  const merchantRowId = parseGlobalId("MerchantAccount", shop.merchant.id);

  await test.app.services.db.execute(sql`
    insert into orders (tenant_id, order_no, merchant_account_id, product_id, customer_id, appid, openid, request_id,
      product_name, quantity, unit_price, total_amount, status, stock_held, expires_at, time_expire,
      transaction_id, paid_at, payer_total, created_at, updated_at)
    select ${shop.tenant}, 'B' || lpad(g::text, 25, '0'), ${merchantRowId}::uuid, ${productRowId}::uuid,
      (${arrayLiteral(customerIds)}::uuid[])[g % 10 + 1], ${shop.merchant.appid}, (${arrayLiteral(openids)}::text[])[g % 10 + 1], 'bulk-' || g,
      '批量商品', 1, g, g,
      case when g % 3 = 0 then 'PAID' else 'EXPIRED' end, false,
      timestamptz '2025-01-01T00:15:00Z' + g * interval '1 second', '2025-01-01T08:15:00+08:00',
      case when g % 3 = 0 then 'T' || g end,
      case when g % 3 = 0 then timestamptz '2025-01-01T00:01:00Z' + g * interval '1 second' end,
      case when g % 3 = 0 then g end,
      timestamptz '2025-01-01T00:00:00Z' + g * interval '1 second', now()
    from generate_series(1, ${BULK_ORDERS}) as g`);
}

/** Build a PostgreSQL array literal of plain words (uuids and openids need no quoting). */
function arrayLiteral(values: string[]): string {
  return `{${values.join(",")}}`;
}

async function startExport(input: Partial<ExportOrdersInput>, requestId = randomUUID()) {
  const { exportOrders } = await shop.marketer.request(ExportOrdersDocument, { input: { format: "CSV", requestId, ...input } });
  if (!exportOrders.export) throw new Error(`exportOrders failed: ${JSON.stringify(exportOrders.userErrors)}`);
  return exportOrders.export;
}

/** Poll the export until it has finished, calling `sample` between polls. */
async function waitForExport(id: string, sample: () => void = () => undefined, timeoutMs = 50_000): Promise<OrderExportFieldsFragment> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    sample();
    const { orderExport } = await shop.marketer.request(OrderExportDocument, { id });
    if (orderExport!.status === "SUCCEEDED" || orderExport!.status === "FAILED") return orderExport!;
    if (Date.now() > deadline) throw new Error(`export ${id} still ${orderExport!.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function download(url: string, token?: string): Promise<Response> {
  return fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** Split CSV text into records of cells (RFC 4180: quoted cells may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else cell += character;
    } else if (character === '"') quoted = true;
    else if (character === ",") {
      record.push(cell);
      cell = "";
    } else if (character === "\r" && text[index + 1] === "\n") {
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
      index += 1;
    } else cell += character;
  }
  return records;
}

describe("order export", () => {
  it("streams 100,000 orders to CSV with flat memory", async () => {
    const marketerToken = await signTestToken({ tenant: shop.tenant, roles: ["marketer"] });
    const { orders } = await shop.marketer.request(OrdersDocument, { first: 1 });
    expect(orders.totalCount).toBe(BULK_ORDERS + 1);

    const baseline = liveHeap();
    let peak = baseline;
    let samples = 0;
    const started = await startExport({});
    expect(started.totalRows).toBe(BULK_ORDERS + 1);
    const progress = await watchExportProgress(test.app.http.port, { tenant: shop.tenant, roles: ["analyst"] }, started.id);
    await progress.ready;

    const finished = await waitForExport(started.id, () => {
      samples += 1;
      if (samples % 8 === 0) peak = Math.max(peak, liveHeap());
    });
    await progress.close();

    expect(finished.status).toBe("SUCCEEDED");
    expect(finished.rowCount).toBe(BULK_ORDERS + 1);
    expect(finished.processedRows).toBe(BULK_ORDERS + 1);
    // The export keeps one batch of 1,000 rows alive at a time (about 3 MB measured). The bound is far
    // below the file's size, so an export that held the whole file in memory would fail it.
    expect(samples).toBeGreaterThan(16);
    expect(peak - baseline).toBeLessThan(16 * 1024 * 1024);
    expect(finished.bytes).toBeGreaterThan(16 * 1024 * 1024);

    const response = await download(finished.downloadUrl!, marketerToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBe(finished.bytes);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(finished.sha256);
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);

    const records = parseCsv(bytes.toString("utf8").slice(1));
    expect(records).toHaveLength(BULK_ORDERS + 2);
    expect(records[0]!.slice(0, 4)).toEqual(["Order number", "Order id", "Status", "Created at (Asia/Shanghai)"]);

    // Newest first: the real order, then bulk order 100000 down to 1.
    expect(records[1]![0]).toBe(trickyOrderNo);
    expect(records[2]![0]).toBe(`B${"100000".padStart(25, "0")}`);
    expect(records.at(-1)![0]).toBe(`B${"1".padStart(25, "0")}`);
    const spot = records[2 + BULK_ORDERS - 12345]!;
    expect(spot).toEqual([
      `B${"12345".padStart(25, "0")}`,
      spot[1],
      "PAID",
      "2025-01-01 11:25:45",
      "2025-01-01 11:26:45",
      "批量商品",
      bulkProductId,
      "1",
      "12345",
      "12345",
      "12345",
      "0",
      "0",
      bulkBuyers[12345 % 10]!.openid,
      "'+8613800000005",
      "",
      "",
      "T12345",
      "N",
    ]);
    expect(new Set(records.slice(1).map((record) => record[0])).size).toBe(BULK_ORDERS + 1);

    const updates = progress.messages.map((message) => message.data?.orderExportProgress);
    expect(updates.length).toBeGreaterThan(10);
    expect(updates.at(-1)).toEqual({ exportId: started.id, status: "SUCCEEDED", processedRows: BULK_ORDERS + 1, totalRows: BULK_ORDERS + 1 });
  });

  it("escapes cells a spreadsheet would run as formulas", async () => {
    const token = await signTestToken({ tenant: shop.tenant, roles: ["analyst"] });
    const finished = await waitForExport((await startExport({ filter: { productId: trickyProductId } })).id);
    const text = Buffer.from(await (await download(finished.downloadUrl!, token)).arrayBuffer()).toString("utf8");

    const [, row] = parseCsv(text.slice(1));
    expect(row![5]).toBe(`'=HYPERLINK("http://127.0.0.1/x","点我")`);
    expect(row![14]).toBe("'+8613700007777");
    expect(row![16]).toBe(`'-page, with "quotes"`);
    expect(text).toContain(`"'=HYPERLINK(""http://127.0.0.1/x"",""点我"")"`);
  });

  it("exports exactly the orders the filter finds", async () => {
    const token = await signTestToken({ tenant: shop.tenant, roles: ["analyst"] });
    const filter = { mobile: "138 0000 0003", status: ["PAID" as const], createdBefore: "2025-01-01T06:00:00Z" };

    const listed: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { orders }: { orders: { edges: { node: { orderNo: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
        await shop.marketer.request(OrdersDocument, { filter, first: 100, after });
      listed.push(...orders.edges.map((edge) => edge.node.orderNo));
      if (!orders.pageInfo.hasNextPage) break;
      after = orders.pageInfo.endCursor;
    }
    // Buyer 3 has orders g ≡ 3 (mod 10); paid ones are g ≡ 0 (mod 3), so g ≡ 3 (mod 30), before g = 21600.
    expect(listed).toHaveLength(720);

    const finished = await waitForExport((await startExport({ filter })).id);
    expect(finished.rowCount).toBe(720);
    const records = parseCsv(Buffer.from(await (await download(finished.downloadUrl!, token)).arrayBuffer()).toString("utf8").slice(1));
    expect(records.slice(1).map((record) => record[0])).toEqual(listed);
  });

  it("writes XLSX that reads back", async () => {
    const token = await signTestToken({ tenant: shop.tenant, roles: ["admin"] });
    const filter = { mobilePrefix: "1380000000", createdBefore: "2025-01-01T00:01:30Z" };
    const { orders } = await shop.marketer.request(OrdersDocument, { filter, first: 100, sort: { field: "TOTAL_AMOUNT", direction: "ASC" } });

    const finished = await waitForExport((await startExport({ filter, format: "XLSX", sort: { field: "TOTAL_AMOUNT", direction: "ASC" } })).id);
    expect(finished.format).toBe("XLSX");
    const response = await download(finished.downloadUrl!, token);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(finished.sha256);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("Orders")!;
    const values = sheet.getSheetValues().slice(1) as unknown[][];
    expect(orders.totalCount).toBe(89);
    expect(values).toHaveLength(orders.totalCount + 1);
    expect(values.slice(1).map((row) => row[1])).toEqual(orders.edges.map((edge) => edge.node.orderNo));
    expect(values[1]![9]).toBe(1);
    expect(values[1]![10]).toBe(1);
  });

  it("returns the same export for a repeated requestId", async () => {
    const requestId = randomUUID();
    const first = await startExport({ filter: { productId: trickyProductId } }, requestId);
    const again = await startExport({ filter: { productId: trickyProductId } }, requestId);
    expect(again.id).toBe(first.id);

    const { exportOrders } = await shop.marketer.request(ExportOrdersDocument, { input: { format: "XLSX", requestId, filter: { productId: trickyProductId } } });
    expect(exportOrders.userErrors.map((error) => error.code)).toEqual(["REQUEST_ID_REUSED"]);
    await waitForExport(first.id);
  });

  it("downloads only with the tenant's token before the link expires", async () => {
    const finished = await waitForExport((await startExport({ filter: { productId: trickyProductId } })).id);
    const url = finished.downloadUrl!;

    expect((await download(url)).status).toBe(401);
    expect((await download(url, "not-a-token")).status).toBe(401);
    expect((await download(url, await signTestToken({ tenant: "another-tenant", roles: ["admin"] }))).status).toBe(403);
    const customer = await signTestToken({ tenant: shop.tenant, roles: ["customer"], appid: shop.merchant.appid, openid: "o1" });
    expect((await download(url, customer)).status).toBe(403);

    const own = await signTestToken({ tenant: shop.tenant, roles: ["analyst"] });
    const tampered = url.replace(/signature=[^&]+/, "signature=AAAA");
    expect((await download(tampered, own)).status).toBe(403);
    expect((await download(url, own)).status).toBe(200);

    clock.advance(16 * 60_000);
    try {
      expect((await download(url, own)).status).toBe(410);
      const { orderExport } = await shop.marketer.request(OrderExportDocument, { id: finished.id });
      expect((await download(orderExport!.downloadUrl!, own)).status).toBe(200);
    } finally {
      clock.advance(-16 * 60_000);
    }
  });
});
