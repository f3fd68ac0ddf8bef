import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientError, type GraphQLClient } from "graphql-request";
import { toGlobalId } from "../../src/graphql/relay/global-id.js";
import { customers } from "../../src/modules/customers/customer.table.js";
import type { CustomerEventRow } from "../../src/modules/events/customer-event.table.js";
import { CustomerSegmentDocument, type CustomerSegmentQueryVariables } from "../generated/graphql.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { eventRow, generateEventData, insertEventData, insertEvents, type GeneratedCustomer, type GeneratedData } from "./support/event-data.js";
import { matchesFilter } from "./support/reference-filter.js";

const NOW = new Date("2024-03-10T04:00:00.000Z");
const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);

let test: TestApp;
let analyst: GraphQLClient;
let people: Record<string, GeneratedCustomer>;
let generated: GeneratedData;
const batchA = randomUUID();
const batchB = randomUUID();

const receivedNotRedeemed: CustomerSegmentQueryVariables = {
  did: { type: "VOUCHER_ISSUED", filter: { occurredAt: { last: { amount: 30, unit: "DAY" } } } },
  didNot: { type: "VOUCHER_REDEEMED", within: { amount: 30, unit: "DAY" } },
};

beforeAll(async () => {
  test = await startTestApp({ now: () => NOW });
  const db = test.app.services.db;

  people = Object.fromEntries(
    ["unredeemed", "redeemed", "tooOld", "redeemedLongAgo", "twice", "buyer", "otherBatch"].map((name, index) => [
      name,
      { id: randomUUID(), appid: "wx-official", openid: `o-${name}`, mobile: `+8613800000${String(index).padStart(3, "0")}` },
    ]),
  );
  await db.insert(customers).values(Object.values(people).map((person) => ({ ...person, tenantId: "segment-a" })));

  const issued = (person: GeneratedCustomer, days: number, batch = batchA) =>
    eventRow("segment-a", person, "VOUCHER_ISSUED", daysAgo(days), { voucherBatchId: batch });
  const redeemed = (person: GeneratedCustomer, days: number, batch = batchA) =>
    eventRow("segment-a", person, "VOUCHER_REDEEMED", daysAgo(days), { voucherBatchId: batch });
  const stranger = { id: randomUUID(), appid: "wx-official", openid: "o-not-in-customers", mobile: null };

  const rows: CustomerEventRow[] = [
    issued(people["unredeemed"]!, 5),
    issued(people["redeemed"]!, 5),
    redeemed(people["redeemed"]!, 2),
    issued(people["tooOld"]!, 40),
    issued(people["redeemedLongAgo"]!, 10),
    redeemed(people["redeemedLongAgo"]!, 35),
    issued(people["twice"]!, 3),
    issued(people["twice"]!, 4),
    eventRow("segment-a", people["buyer"]!, "ORDER_PAID", daysAgo(1), { amount: 990 }),
    issued(people["otherBatch"]!, 6, batchB),
    redeemed(people["otherBatch"]!, 1, batchB),
    issued(stranger, 2),
  ];
  await insertEvents(db, rows);

  const outsider = { id: randomUUID(), appid: "wx-official", openid: "o-outsider", mobile: null };
  await db.insert(customers).values({ ...outsider, tenantId: "segment-b" });
  await insertEvents(db, [eventRow("segment-b", outsider, "VOUCHER_ISSUED", daysAgo(1))]);

  generated = generateEventData({ tenantId: "segment-g", seed: 99, now: NOW, customerCount: 60, eventCount: 1500, spanDays: 45 });
  await insertEventData(db, generated);

  analyst = await test.client({ tenant: "segment-a", roles: ["analyst"] });
});

afterAll(async () => {
  await test?.stop();
});

const openids = (segment: { customers: { edges: { node: { openid: string } }[] } }) =>
  segment.customers.edges.map((edge) => edge.node.openid).sort();

async function segmentError(client: GraphQLClient, variables: CustomerSegmentQueryVariables) {
  const error = await client.request(CustomerSegmentDocument, variables).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ClientError);
  return (error as ClientError).response.errors![0]!;
}

describe("customerSegment", () => {
  it("finds customers who received and did not redeem", async () => {
    const { customerSegment } = await analyst.request(CustomerSegmentDocument, receivedNotRedeemed);
    expect(customerSegment.count).toBe(3);
    expect(customerSegment.customers.totalCount).toBe(3);
    expect(openids(customerSegment)).toEqual(["o-redeemedLongAgo", "o-twice", "o-unredeemed"]);
  });

  it("returns customer fields and matched counts", async () => {
    const { customerSegment } = await analyst.request(CustomerSegmentDocument, receivedNotRedeemed);
    const twice = customerSegment.customers.edges.find((edge) => edge.node.openid === "o-twice")?.node;
    expect(twice).toEqual({
      id: toGlobalId("Customer", people["twice"]!.id),
      appid: "wx-official",
      openid: "o-twice",
      mobile: people["twice"]!.mobile,
      matchedEvents: 2,
    });
  });

  it("lists everyone who did the event without didNot", async () => {
    const { customerSegment } = await analyst.request(CustomerSegmentDocument, { did: receivedNotRedeemed.did });
    expect(openids(customerSegment)).toEqual(["o-otherBatch", "o-redeemed", "o-redeemedLongAgo", "o-twice", "o-unredeemed"]);
  });

  it("applies minCount", async () => {
    const { customerSegment } = await analyst.request(CustomerSegmentDocument, {
      ...receivedNotRedeemed,
      did: { ...receivedNotRedeemed.did, minCount: 2 },
    });
    expect(openids(customerSegment)).toEqual(["o-twice"]);
  });

  it("narrows didNot with its filter", async () => {
    const { customerSegment } = await analyst.request(CustomerSegmentDocument, {
      did: receivedNotRedeemed.did,
      didNot: { ...receivedNotRedeemed.didNot!, filter: { voucherBatchId: { equals: toGlobalId("VoucherBatch", batchA) } } },
    });
    expect(openids(customerSegment)).toEqual(["o-otherBatch", "o-redeemedLongAgo", "o-twice", "o-unredeemed"]);
  });

  it("pages by customer id", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const { customerSegment }: { customerSegment: { customers: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } } =
        await analyst.request(CustomerSegmentDocument, { ...receivedNotRedeemed, first: 2, after });
      seen.push(...customerSegment.customers.edges.map((edge) => edge.node.id));
      if (!customerSegment.customers.pageInfo.hasNextPage) break;
      after = customerSegment.customers.pageInfo.endCursor;
    }
    const expected = ["redeemedLongAgo", "twice", "unredeemed"].map((name) => people[name]!.id).sort();
    expect(seen).toEqual(expected.map((id) => toGlobalId("Customer", id)));
  });

  it("matches a reference on generated data", async () => {
    const didFilter = { occurredAt: { last: { amount: 30, unit: "DAY" as const } }, source: { in: ["PAGE" as const, "WORKFLOW" as const] } };
    const variables: CustomerSegmentQueryVariables = {
      did: { type: "VOUCHER_ISSUED", filter: didFilter, minCount: 2 },
      didNot: { type: "ORDER_PAID", within: { amount: 14, unit: "DAY" } },
      first: 100,
    };

    const counts = new Map<string, number>();
    for (const row of generated.events) {
      if (row.type === "VOUCHER_ISSUED" && matchesFilter(row, didFilter, NOW)) counts.set(row.customerId, (counts.get(row.customerId) ?? 0) + 1);
    }
    const paidRecently = new Set(
      generated.events.filter((row) => row.type === "ORDER_PAID" && row.occurredAt >= daysAgo(14)).map((row) => row.customerId),
    );
    const expected = [...counts]
      .filter(([customerId, count]) => count >= 2 && !paidRecently.has(customerId))
      .map(([customerId]) => toGlobalId("Customer", customerId))
      .sort();
    expect(expected.length).toBeGreaterThan(0);

    const client = await test.client({ tenant: "segment-g", roles: ["marketer"] });
    const { customerSegment } = await client.request(CustomerSegmentDocument, variables);
    expect(customerSegment.count).toBe(expected.length);
    expect(customerSegment.customers.edges.map((edge) => edge.node.id).sort()).toEqual(expected);
  });

  it("keeps tenants apart", async () => {
    const other = await test.client({ tenant: "segment-b", roles: ["analyst"] });
    const { customerSegment } = await other.request(CustomerSegmentDocument, receivedNotRedeemed);
    expect(openids(customerSegment)).toEqual(["o-outsider"]);
  });
});

describe("customerSegment limits", () => {
  it("rejects a did filter without a time bound", async () => {
    const error = await segmentError(analyst, { did: { type: "VOUCHER_ISSUED", filter: {} } });
    expect(error.extensions?.["reason"]).toBe("UNBOUNDED_TIME_RANGE");
    expect(error.extensions?.["field"]).toBe("did.filter.occurredAt");
  });

  it("prices the didNot window", async () => {
    const error = await segmentError(analyst, {
      did: receivedNotRedeemed.did,
      didNot: { type: "VOUCHER_REDEEMED", within: { amount: 4, unit: "MONTH" } },
    });
    expect(error.extensions?.["reason"]).toBe("QUERY_TOO_EXPENSIVE");
    expect(error.message).toContain("didNot.filter covers 121 days");
  });

  it("rejects minCount below one", async () => {
    const error = await segmentError(analyst, { did: { ...receivedNotRedeemed.did, minCount: 0 } });
    expect(error.extensions?.["reason"]).toBe("INVALID_MIN_COUNT");
  });
});
