import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientError, type GraphQLClient } from "graphql-request";
import { sql } from "drizzle-orm";
import { toGlobalId } from "../../src/graphql/relay/global-id.js";
import type { CustomerEventRow } from "../../src/modules/events/customer-event.table.js";
import {
  CustomerEventNodeDocument,
  CustomerEventsDocument,
  ExportCustomerEventsDocument,
  type CustomerEventFilter,
  type CustomerEventOrder,
} from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { eventRow, generateEventData, insertEventData, insertEvents, type GeneratedData } from "./support/event-data.js";
import { matchesFilter } from "./support/reference-filter.js";

const NOW = new Date("2024-03-10T04:00:00.000Z");
const LAST_30_DAYS: CustomerEventFilter = { occurredAt: { last: { amount: 30, unit: "DAY" } } };

let test: TestApp;
let data: GeneratedData;
let otherTenant: GeneratedData;
let analyst: GraphQLClient;

beforeAll(async () => {
  test = await startTestApp({ now: () => NOW });
  data = generateEventData({ tenantId: "events-a", seed: 7, now: NOW, customerCount: 40, eventCount: 1200, spanDays: 60 });
  otherTenant = generateEventData({ tenantId: "events-b", seed: 8, now: NOW, customerCount: 10, eventCount: 300, spanDays: 60 });
  await insertEventData(test.app.services.db, data);
  await insertEventData(test.app.services.db, otherTenant);
  analyst = await test.client({ tenant: "events-a", roles: ["analyst"] });
});

afterAll(async () => {
  await test?.stop();
});

const campaignGlobalId = (index: number) => toGlobalId("Campaign", data.campaignIds[index]!);

function byOrder(order: CustomerEventOrder) {
  const descending = order.endsWith("DESC") ? -1 : 1;
  const key = (row: CustomerEventRow) => (order.startsWith("AMOUNT") ? (row.amount ?? 0) : row.occurredAt.getTime());
  return (left: CustomerEventRow, right: CustomerEventRow) => {
    const byKey = key(left) - key(right);
    if (byKey !== 0) return descending * byKey;
    return descending * (left.id < right.id ? -1 : 1);
  };
}

function expectedRows(filter: CustomerEventFilter, order: CustomerEventOrder = "OCCURRED_AT_DESC"): CustomerEventRow[] {
  return data.events.filter((row) => matchesFilter(row, filter, NOW)).sort(byOrder(order));
}

async function allPages(client: GraphQLClient, filter: CustomerEventFilter, orderBy: CustomerEventOrder) {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const { customerEvents }: { customerEvents: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
      await client.request(CustomerEventsDocument, { filter, orderBy, first: 100, after });
    ids.push(...customerEvents.edges.map((edge) => edge.node.id));
    if (!customerEvents.pageInfo.hasNextPage) return ids;
    after = customerEvents.pageInfo.endCursor;
  }
}

async function requestError(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ClientError);
  return (error as ClientError).response.errors![0]!;
}

describe("customerEvents operators", () => {
  const someRow = () => data.events.find((row) => row.type === "RED_PACKET_ISSUED" && row.occurredAt > new Date(NOW.getTime() - 10 * 86_400_000))!;
  const someOrder = () => data.events.find((row) => row.orderId !== null && row.occurredAt > new Date(NOW.getTime() - 10 * 86_400_000))!;
  const amounts = () => [...new Set(data.events.filter((row) => row.amount !== null).map((row) => row.amount!))].slice(0, 3);

  const cases: [string, () => CustomerEventFilter][] = [
    ["type equals", () => ({ type: { equals: "VOUCHER_ISSUED" } })],
    ["type in", () => ({ type: { in: ["ORDER_PAID", "ORDER_REFUNDED"] } })],
    ["source equals", () => ({ source: { equals: "LUCKY_DRAW" } })],
    ["source in", () => ({ source: { in: ["PAGE", "FORM"] } })],
    ["campaignId equals", () => ({ campaignId: { equals: campaignGlobalId(0) } })],
    ["campaignId in", () => ({ campaignId: { in: [campaignGlobalId(1), campaignGlobalId(2)] } })],
    ["voucherBatchId equals", () => ({ voucherBatchId: { equals: toGlobalId("VoucherBatch", data.voucherBatchIds[0]!) } })],
    ["redPacketId equals", () => ({ redPacketId: { equals: toGlobalId("RedPacket", someRow().redPacketId!) } })],
    ["orderId in", () => ({ orderId: { in: [toGlobalId("Order", someOrder().orderId!)] } })],
    ["productId equals", () => ({ productId: { equals: toGlobalId("Product", data.productIds[1]!) } })],
    ["merchantAccountId equals", () => ({ merchantAccountId: { equals: toGlobalId("MerchantAccount", data.merchantAccountIds[0]!) } })],
    ["openid equals", () => ({ openid: { equals: data.customers[3]!.openid } })],
    ["openid in", () => ({ openid: { in: data.customers.slice(0, 5).map((customer) => customer.openid) } })],
    ["mobile equals", () => ({ mobile: { equals: data.customers[0]!.mobile! } })],
    ["mobile prefix", () => ({ mobile: { prefix: "+86159" } })],
    ["amount equals", () => ({ amount: { equals: amounts()[0]! } })],
    ["amount in", () => ({ amount: { in: amounts() } })],
    ["amount range", () => ({ amount: { range: { min: 5_000, max: 12_000 } } })],
    ["amount open range", () => ({ amount: { range: { min: 15_000 } } })],
    ["occurredAt from and to", () => ({ occurredAt: { from: "2024-02-20T16:00:00.000Z", to: "2024-02-27T16:00:00.000Z" } })],
    ["occurredAt last hours", () => ({ occurredAt: { last: { amount: 36, unit: "HOUR" } } })],
    ["fields of one filter", () => ({ ...LAST_30_DAYS, type: { equals: "ORDER_PAID" }, campaignId: { equals: campaignGlobalId(0) } })],
    ["and list", () => ({ and: [LAST_30_DAYS, { source: { equals: "PAGE" } }, { amount: { range: { max: 8_000 } } }] })],
    ["or list", () => ({ ...LAST_30_DAYS, or: [{ type: { equals: "VOUCHER_REDEEMED" } }, { amount: { range: { min: 19_000 } } }] })],
    ["not keeps null columns", () => ({ ...LAST_30_DAYS, not: { campaignId: { equals: campaignGlobalId(0) } } })],
    ["not of or", () => ({ ...LAST_30_DAYS, not: { or: [{ source: { equals: "PAGE" } }, { type: { in: ["ORDER_CREATED", "ORDER_PAID"] } }] } })],
    [
      "nested and, or and not",
      () => ({
        or: [
          { occurredAt: { last: { amount: 3, unit: "DAY" } }, type: { equals: "VOUCHER_ISSUED" } },
          {
            occurredAt: { from: "2024-02-01T00:00:00.000Z", to: "2024-02-15T00:00:00.000Z" },
            and: [{ not: { mobile: { prefix: "+86138" } } }, { amount: { range: { min: 1_000 } } }],
          },
        ],
      }),
    ],
  ];

  for (const [name, makeFilter] of cases) {
    it(`filters by ${name}`, async () => {
      const filter = makeFilter();
      const withWindow = filter.occurredAt || filter.or || filter.and ? filter : { ...filter, ...LAST_30_DAYS };
      const expected = expectedRows(withWindow);
      expect(expected.length).toBeGreaterThan(0);

      const { customerEvents } = await analyst.request(CustomerEventsDocument, { filter: withWindow, first: 100 });
      expect(customerEvents.totalCount).toBe(expected.length);
      expect(customerEvents.edges.map((edge) => edge.node.id)).toEqual(
        expected.slice(0, 100).map((row) => toGlobalId("CustomerEvent", row.id)),
      );
    });
  }

  it("returns every field of an event", async () => {
    const row = someOrder();
    const { customerEvents } = await analyst.request(CustomerEventsDocument, {
      filter: { ...LAST_30_DAYS, orderId: { equals: toGlobalId("Order", row.orderId!) } },
    });
    expect(customerEvents.edges[0]?.node).toEqual({
      id: toGlobalId("CustomerEvent", row.id),
      type: row.type,
      source: row.source,
      occurredAt: row.occurredAt.toISOString(),
      customerId: toGlobalId("Customer", row.customerId),
      openid: row.openid,
      mobile: row.mobile,
      campaignId: row.campaignId ? toGlobalId("Campaign", row.campaignId) : null,
      voucherBatchId: null,
      redPacketId: null,
      orderId: toGlobalId("Order", row.orderId!),
      productId: toGlobalId("Product", row.productId!),
      merchantAccountId: null,
      wechatObjectId: null,
      amount: row.amount,
      attributes: row.attributes,
    });
  });

  it("refetches an event through node", async () => {
    const row = someRow();
    const { node } = await analyst.request(CustomerEventNodeDocument, { id: toGlobalId("CustomerEvent", row.id) });
    expect(node).toEqual({ id: toGlobalId("CustomerEvent", row.id), type: "RED_PACKET_ISSUED", amount: row.amount });
  });
});

describe("customerEvents pages", () => {
  for (const order of ["OCCURRED_AT_DESC", "OCCURRED_AT_ASC", "AMOUNT_DESC", "AMOUNT_ASC"] as const) {
    it(`walks every page ${order}`, async () => {
      const filter: CustomerEventFilter = { occurredAt: { last: { amount: 20, unit: "DAY" } } };
      const ids = await allPages(analyst, filter, order);
      expect(ids).toEqual(expectedRows(filter, order).map((row) => toGlobalId("CustomerEvent", row.id)));
    });
  }

  it("marks a later page as having a previous one", async () => {
    const first = await analyst.request(CustomerEventsDocument, { filter: LAST_30_DAYS, first: 5 });
    const second = await analyst.request(CustomerEventsDocument, {
      filter: LAST_30_DAYS,
      first: 5,
      after: first.customerEvents.pageInfo.endCursor,
    });
    expect(first.customerEvents.pageInfo.hasPreviousPage).toBe(false);
    expect(second.customerEvents.pageInfo.hasPreviousPage).toBe(true);
    expect(second.customerEvents.edges[0]?.node.id).toBe(toGlobalId("CustomerEvent", expectedRows(LAST_30_DAYS)[5]!.id));
  });

  it("rejects a cursor of another order", async () => {
    const byTime = await analyst.request(CustomerEventsDocument, { filter: LAST_30_DAYS, first: 5 });
    const error = await requestError(
      analyst.request(CustomerEventsDocument, {
        filter: LAST_30_DAYS,
        orderBy: "AMOUNT_DESC",
        after: byTime.customerEvents.pageInfo.endCursor,
      }),
    );
    expect(error.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(error.extensions?.["reason"]).toBe("INVALID_CURSOR");
  });

  it("rejects more than 100 per page", async () => {
    const error = await requestError(analyst.request(CustomerEventsDocument, { filter: LAST_30_DAYS, first: 101 }));
    expect(error.extensions?.["reason"]).toBe("INVALID_PAGE_SIZE");
  });
});

describe("customerEvents cost limit", () => {
  it("rejects an unbounded scan in English", async () => {
    const error = await requestError(analyst.request(CustomerEventsDocument, { filter: { type: { equals: "ORDER_PAID" } } }));
    expect(error.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(error.extensions?.["reason"]).toBe("UNBOUNDED_TIME_RANGE");
    expect(error.extensions?.["field"]).toBe("filter.occurredAt");
    expect(error.message).toContain("at most 93 days");
    expect(error.message).toContain("occurredAt: { last: { amount: 30, unit: DAY } }");
  });

  it("rejects an unbounded scan in Chinese", async () => {
    const chinese = await test.client({ tenant: "events-a", roles: ["analyst"] }, { "accept-language": "zh-CN" });
    const error = await requestError(chinese.request(CustomerEventsDocument, { filter: { type: { equals: "ORDER_PAID" } } }));
    expect(error.extensions?.["reason"]).toBe("UNBOUNDED_TIME_RANGE");
    expect(error.message).toContain("没有限定 occurredAt");
    expect(error.message).toContain("跨度不超过 93 天");
  });

  it("rejects a window over the limit in both languages", async () => {
    const filter: CustomerEventFilter = { occurredAt: { last: { amount: 120, unit: "DAY" } } };
    const english = await requestError(analyst.request(CustomerEventsDocument, { filter }));
    expect(english.extensions?.["reason"]).toBe("QUERY_TOO_EXPENSIVE");
    expect(english.extensions?.["limitDays"]).toBe(93);
    expect(english.message).toBe(
      "filter covers 120 days of events, but the limit is 93 days (400 days when it filters on campaignId). Shorten filter.occurredAt or add a campaignId condition.",
    );

    const chinese = await test.client({ tenant: "events-a", roles: ["analyst"] }, { "accept-language": "zh-CN,zh;q=0.9" });
    const translated = await requestError(chinese.request(CustomerEventsDocument, { filter }));
    expect(translated.message).toBe(
      "filter 覆盖了 120 天的事件，上限为 93 天（按 campaignId 筛选时为 400 天）。请缩短 filter.occurredAt 的范围，或增加 campaignId 条件。",
    );
  });

  it("allows a long window pinned to a campaign", async () => {
    const filter: CustomerEventFilter = { campaignId: { equals: campaignGlobalId(0) }, occurredAt: { last: { amount: 120, unit: "DAY" } } };
    const { customerEvents } = await analyst.request(CustomerEventsDocument, { filter, first: 1 });
    expect(customerEvents.totalCount).toBe(expectedRows(filter).length);
  });

  it("rejects two operators in one condition", async () => {
    const error = await requestError(
      analyst.request(CustomerEventsDocument, { filter: { ...LAST_30_DAYS, openid: { equals: "a", in: ["b"] } } }),
    );
    expect(error.extensions?.["reason"]).toBe("INVALID_OPERATOR_COUNT");
    expect(error.extensions?.["field"]).toBe("filter.openid");
  });
});

describe("customerEvents access", () => {
  it("shows each tenant only its own events", async () => {
    const other = await test.client({ tenant: "events-b", roles: ["admin"] });
    const { customerEvents } = await other.request(CustomerEventsDocument, { filter: LAST_30_DAYS, first: 100 });
    const ownIds = new Set(otherTenant.events.map((row) => toGlobalId("CustomerEvent", row.id)));
    expect(customerEvents.totalCount).toBe(otherTenant.events.filter((row) => matchesFilter(row, LAST_30_DAYS, NOW)).length);
    expect(customerEvents.edges.every((edge) => ownIds.has(edge.node.id))).toBe(true);
  });

  it("finds nothing by another tenant's ids", async () => {
    const other = await test.client({ tenant: "events-b", roles: ["analyst"] });
    const { customerEvents } = await other.request(CustomerEventsDocument, {
      filter: { ...LAST_30_DAYS, campaignId: { equals: campaignGlobalId(0) } },
    });
    expect(customerEvents.totalCount).toBe(0);

    const { node } = await other.request(CustomerEventNodeDocument, { id: toGlobalId("CustomerEvent", data.events[0]!.id) });
    expect(node).toBeNull();
  });

  it("lets marketers read and forbids service callers", async () => {
    const marketer = await test.client({ tenant: "events-a", roles: ["marketer"] });
    const { customerEvents } = await marketer.request(CustomerEventsDocument, { filter: LAST_30_DAYS, first: 1 });
    expect(customerEvents.totalCount).toBe(expectedRows(LAST_30_DAYS).length);

    const service = await test.client({ tenant: "events-a", roles: ["service"] });
    const error = await requestError(service.request(CustomerEventsDocument, { filter: LAST_30_DAYS }));
    expect(error.extensions?.["code"]).toBe("FORBIDDEN");
  });
});

describe("exportCustomerEvents", () => {
  it("exports matching events as CSV", async () => {
    const filter: CustomerEventFilter = { ...LAST_30_DAYS, type: { in: ["ORDER_PAID", "RED_PACKET_ISSUED"] } };
    const expected = expectedRows(filter);
    const { exportCustomerEvents } = await analyst.request(ExportCustomerEventsDocument, { filter });

    expect(exportCustomerEvents.userErrors).toEqual([]);
    expect(exportCustomerEvents.rowCount).toBe(expected.length);
    expect(exportCustomerEvents.fileName).toMatch(/^customer-events-2024-03-10T04-00-00-000Z\.csv$/);

    const csv = exportCustomerEvents.csv!;
    expect(csv.startsWith("\uFEFFid,occurred_at,type,source,customer_id,openid,mobile,campaign_id,")).toBe(true);
    const lines = csv.slice(1).split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines).toHaveLength(expected.length + 2);

    const first = expected[0]!;
    const cells = lines[1]!.split(",");
    expect(cells[0]).toBe(toGlobalId("CustomerEvent", first.id));
    expect(cells[1]).toBe(first.occurredAt.toISOString());
    expect(cells[2]).toBe(first.type);
    expect(cells[14]).toBe(String(first.amount));
  });

  it("neutralizes formulas in exported cells", async () => {
    const customer = { id: data.customers[0]!.id, appid: "wx", openid: '=HYPERLINK("http://127.0.0.1","x")', mobile: null };
    const row = eventRow("events-a", customer, "VOUCHER_ISSUED", new Date(NOW.getTime() - 60_000), {
      wechatObjectId: "@SUM(1+1)",
      attributes: { note: "中文, 带逗号" },
    });
    await insertEvents(test.app.services.db, [row]);

    const { exportCustomerEvents } = await analyst.request(ExportCustomerEventsDocument, {
      filter: { occurredAt: { last: { amount: 2, unit: "MINUTE" } } },
    });
    const line = exportCustomerEvents.csv!.split("\r\n")[1]!;
    expect(line).toContain(`"'=HYPERLINK(""http://127.0.0.1"",""x"")"`);
    expect(line).toContain(",'@SUM(1+1),");
    expect(line).toContain(`"{""note"":""中文, 带逗号""}"`);
  });

  it("returns the cost error as a user error", async () => {
    const chinese = await test.client({ tenant: "events-a", roles: ["analyst"] }, { "accept-language": "zh-CN" });
    const { exportCustomerEvents } = await chinese.request(ExportCustomerEventsDocument, { filter: {} });
    expect(exportCustomerEvents.csv).toBeNull();
    expect(exportCustomerEvents.userErrors).toEqual([
      {
        code: "UNBOUNDED_TIME_RANGE",
        field: ["filter", "occurredAt"],
        message: expect.stringContaining("没有限定 occurredAt"),
      },
    ]);
  });

  it("rejects an export over 50,000 rows", async () => {
    const customer = data.customers[0]!;
    await test.app.services.db.execute(sql`
      insert into customer_events (tenant_id, event_key, type, occurred_at, source, customer_id, openid)
      select 'events-bulk', 'bulk:' || n, 'VOUCHER_ISSUED', ${NOW.toISOString()}::timestamptz - n * interval '1 second',
             'WORKFLOW', ${customer.id}::uuid, 'o-bulk'
      from generate_series(1, 50001) as n
    `);
    const bulk = await test.client({ tenant: "events-bulk", roles: ["analyst"] });
    const { exportCustomerEvents } = await bulk.request(ExportCustomerEventsDocument, { filter: LAST_30_DAYS });
    expect(exportCustomerEvents.rowCount).toBe(0);
    expect(exportCustomerEvents.userErrors[0]?.code).toBe("EXPORT_TOO_LARGE");
    expect(exportCustomerEvents.userErrors[0]?.message).toBe(
      "The export would contain 50001 rows, but the limit is 50000. Narrow the filter, for example to a shorter occurredAt range, and export in parts.",
    );
  });
});
