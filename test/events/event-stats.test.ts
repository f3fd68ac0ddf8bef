import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientError, type GraphQLClient } from "graphql-request";
import { toGlobalId } from "../../src/graphql/relay/global-id.js";
import { tenants } from "../../src/modules/tenants/tenant.table.js";
import { customers } from "../../src/modules/customers/customer.table.js";
import { EventStatsDocument, type CustomerEventFilter, type EventStatsQueryVariables } from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { eventRow, generateEventData, insertEventData, insertEvents, type GeneratedCustomer, type GeneratedData } from "./support/event-data.js";
import { matchesFilter } from "./support/reference-filter.js";

const NOW = new Date("2024-03-10T04:00:00.000Z");
const LAST_30_DAYS: CustomerEventFilter = { occurredAt: { last: { amount: 30, unit: "DAY" } } };

let test: TestApp;
let data: GeneratedData;

// Pairs of events a few minutes apart on both sides of a local midnight in Asia/Shanghai (UTC+8), where
// the UTC date does not change.
const aroundMidnight = [
  "2024-02-29T15:30:00.000Z", // Thu 29 Feb 23:30 local
  "2024-02-29T16:30:00.000Z", // Fri 1 Mar 00:30 local
  "2024-03-03T15:59:59.999Z", // Sun 3 Mar 23:59:59.999 local
  "2024-03-03T16:00:00.000Z", // Mon 4 Mar 00:00 local
  "2024-03-08T15:59:00.000Z", // Fri 8 Mar 23:59 local
  "2024-03-08T16:01:00.000Z", // Sat 9 Mar 00:01 local
];

function midnightCustomers(tenantId: string): GeneratedCustomer[] {
  return [1, 2].map((index) => ({
    id: crypto.randomUUID(),
    appid: "wx-official",
    openid: `o-${tenantId}-${index}`,
    mobile: null,
  }));
}

async function seedMidnightTenant(tenantId: string): Promise<void> {
  const [first, second] = midnightCustomers(tenantId) as [GeneratedCustomer, GeneratedCustomer];
  await test.app.services.db.insert(customers).values([first, second].map((customer) => ({ ...customer, tenantId })));

  // The first customer has every event; the second only the ones after each midnight.
  const rows = aroundMidnight.flatMap((time, index) => {
    const occurredAt = new Date(time);
    const own = eventRow(tenantId, first, "RED_PACKET_ISSUED", occurredAt, { amount: 100 * (index + 1) });
    return index % 2 === 1
      ? [own, eventRow(tenantId, second, "RED_PACKET_ISSUED", occurredAt, { amount: 1_000 })]
      : [own];
  });
  await insertEvents(test.app.services.db, rows);
}

beforeAll(async () => {
  test = await startTestApp({ now: () => NOW });
  data = generateEventData({ tenantId: "stats-a", seed: 21, now: NOW, customerCount: 30, eventCount: 800, spanDays: 40 });
  await insertEventData(test.app.services.db, data);
  await seedMidnightTenant("stats-shanghai");
  await seedMidnightTenant("stats-utc");
  await test.app.services.db.insert(tenants).values({ id: "stats-utc", timeZone: "UTC" });
});

afterAll(async () => {
  await test?.stop();
});

async function stats(tenant: string, variables: EventStatsQueryVariables, headers: Record<string, string> = {}) {
  const client: GraphQLClient = await test.client({ tenant, roles: ["analyst"] }, headers);
  return (await client.request(EventStatsDocument, variables)).eventStats;
}

async function statsError(tenant: string, variables: EventStatsQueryVariables, headers: Record<string, string> = {}) {
  const error = await stats(tenant, variables, headers).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ClientError);
  return (error as ClientError).response.errors![0]!;
}

const fromFebruary: CustomerEventFilter = { occurredAt: { from: "2024-02-20T00:00:00.000Z" } };

describe("eventStats time buckets", () => {
  it("cuts days at local midnight in Asia/Shanghai", async () => {
    const result = await stats("stats-shanghai", { filter: fromFebruary, groupBy: ["DAY"], metrics: ["COUNT", "DISTINCT_CUSTOMERS", "SUM_AMOUNT"] });
    expect(result.timeZone).toBe("Asia/Shanghai");
    expect(result.rows.map((row) => [row.bucketStart, row.count, row.distinctCustomers, row.sumAmount])).toEqual([
      ["2024-02-28T16:00:00.000Z", 1, 1, 100],
      ["2024-02-29T16:00:00.000Z", 2, 2, 1_200],
      ["2024-03-02T16:00:00.000Z", 1, 1, 300],
      ["2024-03-03T16:00:00.000Z", 2, 2, 1_400],
      ["2024-03-07T16:00:00.000Z", 1, 1, 500],
      ["2024-03-08T16:00:00.000Z", 2, 2, 1_600],
    ]);
  });

  it("uses the tenant's own time zone when it has one", async () => {
    const result = await stats("stats-utc", { filter: fromFebruary, groupBy: ["DAY"], metrics: ["COUNT"] });
    expect(result.timeZone).toBe("UTC");
    expect(result.rows.map((row) => [row.bucketStart, row.count])).toEqual([
      ["2024-02-29T00:00:00.000Z", 3],
      ["2024-03-03T00:00:00.000Z", 3],
      ["2024-03-08T00:00:00.000Z", 3],
    ]);
  });

  it("cuts hours in the tenant's time zone", async () => {
    const result = await stats("stats-shanghai", {
      filter: { occurredAt: { from: "2024-03-08T00:00:00.000Z" } },
      groupBy: ["HOUR"],
      metrics: ["COUNT"],
    });
    expect(result.rows.map((row) => [row.bucketStart, row.count])).toEqual([
      ["2024-03-08T15:00:00.000Z", 1],
      ["2024-03-08T16:00:00.000Z", 2],
    ]);
  });

  it("starts weeks on a local Monday", async () => {
    const result = await stats("stats-shanghai", { filter: fromFebruary, groupBy: ["WEEK"], metrics: ["COUNT"] });
    expect(result.rows.map((row) => [row.bucketStart, row.count])).toEqual([
      ["2024-02-25T16:00:00.000Z", 4],
      ["2024-03-03T16:00:00.000Z", 5],
    ]);
  });

  it("cuts months at local midnight", async () => {
    const result = await stats("stats-shanghai", { filter: fromFebruary, groupBy: ["MONTH"], metrics: ["COUNT", "DISTINCT_CUSTOMERS"] });
    expect(result.rows.map((row) => [row.bucketStart, row.count, row.distinctCustomers])).toEqual([
      ["2024-01-31T16:00:00.000Z", 1, 1],
      ["2024-02-29T16:00:00.000Z", 8, 2],
    ]);
  });
});

describe("eventStats groups and metrics", () => {
  it("totals without groupBy", async () => {
    const result = await stats("stats-a", { filter: LAST_30_DAYS, metrics: ["COUNT", "DISTINCT_CUSTOMERS", "SUM_AMOUNT"] });
    const rows = data.events.filter((row) => matchesFilter(row, LAST_30_DAYS, NOW));
    expect(result.rows).toEqual([
      {
        bucketStart: null,
        type: null,
        source: null,
        campaignId: null,
        voucherBatchId: null,
        redPacketId: null,
        count: rows.length,
        distinctCustomers: new Set(rows.map((row) => row.customerId)).size,
        sumAmount: rows.reduce((sum, row) => sum + (row.amount ?? 0), 0),
      },
    ]);
  });

  it("groups by type and campaign", async () => {
    const result = await stats("stats-a", { filter: LAST_30_DAYS, groupBy: ["TYPE", "CAMPAIGN"], metrics: ["COUNT", "DISTINCT_CUSTOMERS"] });

    const expected = new Map<string, { count: number; customers: Set<string> }>();
    for (const row of data.events.filter((event) => matchesFilter(event, LAST_30_DAYS, NOW))) {
      const key = `${row.type}|${row.campaignId ? toGlobalId("Campaign", row.campaignId) : null}`;
      const group = expected.get(key) ?? { count: 0, customers: new Set<string>() };
      group.count += 1;
      group.customers.add(row.customerId);
      expected.set(key, group);
    }

    expect(result.rows).toHaveLength(expected.size);
    for (const row of result.rows) {
      const group = expected.get(`${row.type}|${row.campaignId}`);
      expect(row.count).toBe(group?.count);
      expect(row.distinctCustomers).toBe(group?.customers.size);
      expect(row.sumAmount).toBeNull();
    }
  });

  it("groups by voucher batch and source within a filter", async () => {
    const filter: CustomerEventFilter = { ...LAST_30_DAYS, type: { in: ["VOUCHER_ISSUED", "VOUCHER_REDEEMED"] } };
    const result = await stats("stats-a", { filter, groupBy: ["VOUCHER_BATCH", "SOURCE"], metrics: ["COUNT"] });
    const matching = data.events.filter((row) => matchesFilter(row, filter, NOW));
    for (const row of result.rows) {
      const count = matching.filter(
        (event) => toGlobalId("VoucherBatch", event.voucherBatchId!) === row.voucherBatchId && event.source === row.source,
      ).length;
      expect(row.count).toBe(count);
    }
    expect(result.rows.reduce((sum, row) => sum + row.count!, 0)).toBe(matching.length);
  });

  it("sums red packet amounts per day", async () => {
    const filter: CustomerEventFilter = { occurredAt: { last: { amount: 7, unit: "DAY" } }, type: { equals: "RED_PACKET_ISSUED" } };
    const result = await stats("stats-a", { filter, groupBy: ["DAY", "RED_PACKET"], metrics: ["SUM_AMOUNT"] });
    const matching = data.events.filter((row) => matchesFilter(row, filter, NOW));
    expect(result.rows).toHaveLength(matching.length);
    expect(result.rows.reduce((sum, row) => sum + row.sumAmount!, 0)).toBe(matching.reduce((sum, row) => sum + row.amount!, 0));
  });

  it("keeps tenants apart", async () => {
    const result = await stats("stats-shanghai", { filter: LAST_30_DAYS, metrics: ["COUNT"] });
    expect(result.rows[0]?.count).toBe(9);
  });
});

describe("eventStats limits", () => {
  it("rejects two time buckets", async () => {
    const error = await statsError("stats-a", { filter: LAST_30_DAYS, groupBy: ["DAY", "HOUR"], metrics: ["COUNT"] });
    expect(error.extensions?.["reason"]).toBe("INVALID_GROUP_BY");
  });

  it("rejects an empty metric list", async () => {
    const error = await statsError("stats-a", { filter: LAST_30_DAYS, metrics: [] });
    expect(error.extensions?.["reason"]).toBe("REQUIRED");
  });

  it("rejects too many hourly buckets in both languages", async () => {
    const filter: CustomerEventFilter = {
      campaignId: { equals: toGlobalId("Campaign", data.campaignIds[0]!) },
      occurredAt: { last: { amount: 100, unit: "DAY" } },
    };
    const english = await statsError("stats-a", { filter, groupBy: ["HOUR"], metrics: ["COUNT"] });
    expect(english.extensions?.["reason"]).toBe("TOO_MANY_BUCKETS");
    expect(english.message).toBe(
      "Grouping 100 days by HOUR makes 2401 buckets, but the limit is 2000. Use a coarser bucket or a shorter occurredAt range.",
    );

    const chinese = await statsError("stats-a", { filter, groupBy: ["HOUR"], metrics: ["COUNT"] }, { "accept-language": "zh-CN" });
    expect(chinese.message).toBe("按 HOUR 对 100 天分组会产生 2401 个时间段，上限为 2000 个。请使用更粗的时间粒度或缩短 occurredAt 的范围。");
  });

  it("rejects an unbounded filter", async () => {
    const error = await statsError("stats-a", { filter: {}, groupBy: ["DAY"], metrics: ["COUNT"] });
    expect(error.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(error.extensions?.["reason"]).toBe("UNBOUNDED_TIME_RANGE");
  });
});
