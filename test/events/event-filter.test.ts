import { describe, expect, it } from "vitest";
import { PgDialect } from "drizzle-orm/pg-core";
import { toGlobalId } from "../../src/graphql/relay/global-id.js";
import { DomainError } from "../../src/graphql/errors.js";
import { compileEventFilter, windowStart, type EventFilter } from "../../src/modules/events/event-filter.js";
import { parseEventFilter } from "../../src/modules/events/event-filter.parse.js";
import type { CustomerEventFilter } from "../../src/modules/events/event-filter.inputs.js";
import { checkQueryCost, pinsCampaign, scanWindow, QUERY_COST_LIMITS } from "../../src/modules/events/query-cost.js";
import { csvCell, csvLine } from "../../src/modules/events/csv.js";

const dialect = new PgDialect();
const now = new Date("2024-03-10T04:00:00.000Z");
const campaignRowId = "11111111-1111-4111-8111-111111111111";
const otherCampaignRowId = "22222222-2222-4222-8222-222222222222";

function render(input: CustomerEventFilter): { sql: string; params: unknown[] } {
  return dialect.sqlToQuery(compileEventFilter(parseEventFilter(input, "filter"), now));
}

function parseError(input: CustomerEventFilter): DomainError {
  try {
    parseEventFilter(input, "filter");
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected the filter to be rejected");
}

describe("filter compilation", () => {
  it("compiles equals to one comparison", () => {
    const query = render({ type: { equals: "VOUCHER_ISSUED" } });
    expect(query.sql).toBe('"customer_events"."type" = $1');
    expect(query.params).toEqual(["VOUCHER_ISSUED"]);
  });

  it("compiles in to an IN list without repeats", () => {
    const query = render({ source: { in: ["PAGE", "FORM", "PAGE"] } });
    expect(query.sql).toBe('"customer_events"."source" in ($1, $2)');
    expect(query.params).toEqual(["PAGE", "FORM"]);
  });

  it("decodes global ids to row ids", () => {
    const query = render({
      campaignId: { in: [toGlobalId("Campaign", campaignRowId), toGlobalId("Campaign", otherCampaignRowId)] },
    });
    expect(query.sql).toBe('"customer_events"."campaign_id" in ($1, $2)');
    expect(query.params).toEqual([campaignRowId, otherCampaignRowId]);
  });

  it("normalizes a mobile prefix and escapes LIKE wildcards", () => {
    const query = render({ mobile: { prefix: "138 0" } });
    expect(query.sql).toBe('"customer_events"."mobile" like $1');
    expect(query.params).toEqual(["+861380%"]);
  });

  it("normalizes a full mobile number for equals", () => {
    const query = render({ mobile: { equals: "0086 138-0000-1234" } });
    expect(query.params).toEqual(["+8613800001234"]);
  });

  it("compiles an amount range with inclusive bounds", () => {
    const query = render({ amount: { range: { min: 100, max: 500 } } });
    expect(query.sql).toBe('("customer_events"."amount" >= $1 and "customer_events"."amount" <= $2)');
    expect(query.params).toEqual([100, 500]);
  });

  it("compiles an open amount range with one bound", () => {
    const query = render({ amount: { range: { min: 100 } } });
    expect(query.sql).toBe('"customer_events"."amount" >= $1');
  });

  it("compiles an absolute time range as from inclusive, to exclusive", () => {
    const query = render({
      occurredAt: { from: new Date("2024-03-01T00:00:00Z"), to: new Date("2024-03-02T00:00:00Z") },
    });
    expect(query.sql).toBe('("customer_events"."occurred_at" >= $1 and "customer_events"."occurred_at" < $2)');
    expect(query.params).toEqual(["2024-03-01T00:00:00.000Z", "2024-03-02T00:00:00.000Z"]);
  });

  it("compiles a relative window from the request time", () => {
    const query = render({ occurredAt: { last: { amount: 7, unit: "DAY" } } });
    expect(query.sql).toBe('"customer_events"."occurred_at" >= $1');
    expect(query.params).toEqual(["2024-03-03T04:00:00.000Z"]);
  });

  it("joins the fields of one filter with and", () => {
    const query = render({ type: { equals: "ORDER_PAID" }, openid: { equals: "o-1" } });
    expect(query.sql).toBe('("customer_events"."type" = $1 and "customer_events"."openid" = $2)');
  });

  it("compiles or, and and not together", () => {
    const query = render({
      or: [{ type: { equals: "ORDER_PAID" } }, { and: [{ type: { equals: "VOUCHER_ISSUED" } }, { source: { equals: "PAGE" } }] }],
      not: { campaignId: { equals: toGlobalId("Campaign", campaignRowId) } },
    });
    expect(query.sql).toBe(
      '(("customer_events"."type" = $1 or ("customer_events"."type" = $2 and "customer_events"."source" = $3)) and ("customer_events"."campaign_id" = $4) is not true)',
    );
    expect(query.params).toEqual(["ORDER_PAID", "VOUCHER_ISSUED", "PAGE", campaignRowId]);
  });

  it("compiles an empty filter to true", () => {
    expect(render({}).sql).toBe("true");
  });
});

describe("filter parsing", () => {
  it("rejects a condition with two operators", () => {
    const error = parseError({ type: { equals: "ORDER_PAID", in: ["ORDER_CREATED"] } });
    expect(error.reason).toBe("INVALID_OPERATOR_COUNT");
    expect(error.details["field"]).toBe("filter.type");
  });

  it("rejects a condition without an operator", () => {
    expect(parseError({ openid: {} }).reason).toBe("INVALID_OPERATOR_COUNT");
  });

  it("rejects an empty in list", () => {
    const error = parseError({ openid: { in: [] } });
    expect(error.reason).toBe("EMPTY_LIST");
    expect(error.details["field"]).toBe("filter.openid.in");
  });

  it("rejects more than 100 values", () => {
    const values = Array.from({ length: 101 }, (_, index) => `o-${index}`);
    expect(parseError({ openid: { in: values } }).reason).toBe("TOO_MANY_VALUES");
  });

  it("rejects an id of another type", () => {
    const error = parseError({ or: [{}, { campaignId: { equals: toGlobalId("Order", campaignRowId) } }] });
    expect(error.reason).toBe("INVALID_ID");
    expect(error.details["field"]).toBe("filter.or[1].campaignId.equals");
  });

  it("rejects a mobile prefix that is not digits", () => {
    expect(parseError({ mobile: { prefix: "abc" } }).reason).toBe("INVALID_MOBILE_PREFIX");
  });

  it("rejects an inverted amount range", () => {
    expect(parseError({ amount: { range: { min: 500, max: 100 } } }).reason).toBe("INVALID_RANGE");
  });

  it("rejects an empty amount range", () => {
    expect(parseError({ amount: { range: {} } }).reason).toBe("REQUIRED");
  });

  it("rejects from together with last", () => {
    const error = parseError({ occurredAt: { from: now, last: { amount: 1, unit: "DAY" } } });
    expect(error.reason).toBe("INVALID_OPERATOR_COUNT");
  });

  it("rejects a time range that ends before it starts", () => {
    const error = parseError({ occurredAt: { from: now, to: new Date(now.getTime() - 1) } });
    expect(error.reason).toBe("INVALID_TIME_RANGE");
  });

  it("rejects a zero-length window", () => {
    expect(parseError({ occurredAt: { last: { amount: 0, unit: "DAY" } } }).reason).toBe("INVALID_WINDOW");
  });

  it("rejects deep nesting", () => {
    let input: CustomerEventFilter = { type: { equals: "ORDER_PAID" } };
    for (let level = 0; level < 5; level += 1) input = { not: input };
    expect(parseError(input).reason).toBe("FILTER_TOO_COMPLEX");
  });

  it("rejects too many conditions", () => {
    const and = Array.from({ length: 51 }, () => ({ type: { equals: "ORDER_PAID" as const } }));
    expect(parseError({ and }).reason).toBe("FILTER_TOO_COMPLEX");
  });
});

describe("relative windows", () => {
  it("steps back 24-hour days", () => {
    expect(windowStart(now, { amount: 7, unit: "DAY" }).toISOString()).toBe("2024-03-03T04:00:00.000Z");
  });

  it("steps back minutes and weeks", () => {
    expect(windowStart(now, { amount: 90, unit: "MINUTE" }).toISOString()).toBe("2024-03-10T02:30:00.000Z");
    expect(windowStart(now, { amount: 2, unit: "WEEK" }).toISOString()).toBe("2024-02-25T04:00:00.000Z");
  });

  it("clamps a calendar month to the shorter month", () => {
    const endOfMarch = new Date("2024-03-31T10:00:00.000Z");
    expect(windowStart(endOfMarch, { amount: 1, unit: "MONTH" }).toISOString()).toBe("2024-02-29T10:00:00.000Z");
  });

  it("crosses a year boundary by months", () => {
    expect(windowStart(now, { amount: 3, unit: "MONTH" }).toISOString()).toBe("2023-12-10T04:00:00.000Z");
  });
});

describe("query cost", () => {
  const parse = (input: CustomerEventFilter): EventFilter => parseEventFilter(input, "filter");
  const campaign = { campaignId: { equals: toGlobalId("Campaign", campaignRowId) } };

  it("finds no window without an occurredAt bound", () => {
    expect(scanWindow(parse({ type: { equals: "ORDER_PAID" } }), now)).toBeUndefined();
    expect(scanWindow(parse({ occurredAt: { to: now } }), now)).toBeUndefined();
  });

  it("intersects windows under and", () => {
    const window = scanWindow(
      parse({
        occurredAt: { last: { amount: 30, unit: "DAY" } },
        and: [{ occurredAt: { from: new Date("2024-03-05T00:00:00Z"), to: new Date("2024-03-06T00:00:00Z") } }],
      }),
      now,
    );
    expect(window?.from.toISOString()).toBe("2024-03-05T00:00:00.000Z");
    expect(window?.to.toISOString()).toBe("2024-03-06T00:00:00.000Z");
  });

  it("spans the branches of or when all are bounded", () => {
    const window = scanWindow(
      parse({
        or: [
          { occurredAt: { from: new Date("2024-03-01T00:00:00Z"), to: new Date("2024-03-02T00:00:00Z") } },
          { occurredAt: { from: new Date("2024-03-08T00:00:00Z"), to: new Date("2024-03-09T00:00:00Z") } },
        ],
      }),
      now,
    );
    expect(window?.from.toISOString()).toBe("2024-03-01T00:00:00.000Z");
    expect(window?.to.toISOString()).toBe("2024-03-09T00:00:00.000Z");
  });

  it("treats or with an unbounded branch as unbounded", () => {
    const filter = parse({ or: [{ occurredAt: { last: { amount: 1, unit: "DAY" } } }, { type: { equals: "ORDER_PAID" } }] });
    expect(scanWindow(filter, now)).toBeUndefined();
  });

  it("treats not as unbounded", () => {
    expect(scanWindow(parse({ not: { occurredAt: { last: { amount: 1, unit: "DAY" } } } }), now)).toBeUndefined();
  });

  it("cuts an upper bound in the future to now", () => {
    const window = scanWindow(parse({ occurredAt: { from: new Date("2024-03-09T04:00:00Z"), to: new Date("2030-01-01T00:00:00Z") } }), now);
    expect(window?.to.toISOString()).toBe(now.toISOString());
  });

  it("sees a campaign pin under and but not under not", () => {
    expect(pinsCampaign(parse({ ...campaign, type: { equals: "ORDER_PAID" } }))).toBe(true);
    expect(pinsCampaign(parse({ or: [campaign, { type: { equals: "ORDER_PAID" } }] }))).toBe(false);
    expect(pinsCampaign(parse({ not: campaign }))).toBe(false);
  });

  it("accepts the day limit and rejects one day more", () => {
    const within = parse({ occurredAt: { last: { amount: QUERY_COST_LIMITS.maxDays, unit: "DAY" } } });
    expect(() => checkQueryCost(within, now, "filter")).not.toThrow();

    const over = parse({ occurredAt: { last: { amount: QUERY_COST_LIMITS.maxDays + 1, unit: "DAY" } } });
    expect(() => checkQueryCost(over, now, "filter")).toThrow(expect.objectContaining({ reason: "QUERY_TOO_EXPENSIVE" }));
  });

  it("allows a longer window when pinned to a campaign", () => {
    const filter = parse({ ...campaign, occurredAt: { last: { amount: 365, unit: "DAY" } } });
    expect(() => checkQueryCost(filter, now, "filter")).not.toThrow();
  });

  it("rejects an unbounded scan", () => {
    const filter = parse({ ...campaign });
    expect(() => checkQueryCost(filter, now, "did.filter")).toThrow(
      expect.objectContaining({ reason: "UNBOUNDED_TIME_RANGE", details: expect.objectContaining({ field: "did.filter.occurredAt" }) }),
    );
  });
});

describe("csv cells", () => {
  it("quotes separators, quotes and line breaks", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
  });

  it("prefixes formula starts with an apostrophe", () => {
    expect(csvCell("=HYPERLINK(\"http://127.0.0.1\")")).toBe('"\'=HYPERLINK(""http://127.0.0.1"")"');
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("+1+2")).toBe("'+1+2");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
  });

  it("keeps numbers and protects text that starts like one", () => {
    expect(csvCell("+8613800001234")).toBe("'+8613800001234");
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(1200)).toBe("1200");
  });

  it("writes null as an empty cell and ends lines with CRLF", () => {
    expect(csvLine(["a", null, 3, "中文"])).toBe("a,,3,中文\r\n");
  });
});
