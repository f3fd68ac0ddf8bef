import { DomainError } from "../../graphql/errors.js";
import { unreachable, windowStart, type EventFilter } from "./event-filter.js";

/**
 * The cost guard of analyst queries.
 *
 * The indexes that serve these queries start with tenant_id and end with occurred_at, and the table only
 * grows, so the rows a query reads grow with the span of time its filter covers. The guard therefore
 * prices a query in days of events, without running it:
 *
 * - A filter that does not bound occurredAt from below reads every event of the tenant. It is rejected
 *   (UNBOUNDED_TIME_RANGE) whatever else it selects, because unindexed columns such as openid or
 *   orderId do not shorten the scan.
 * - A bounded filter may cover up to MAX_DAYS. When it pins campaignId (equals or in), the
 *   (tenant_id, campaign_id, occurred_at) index reads that campaign's rows only, so it may cover
 *   MAX_DAYS_PINNED_TO_CAMPAIGN. Beyond that the query is rejected (QUERY_TOO_EXPENSIVE).
 *
 * Fixed limits give the same result on every run and driver. Planner row estimates vary with the
 * table statistics, so they are not used.
 *
 * NOTE: 93 and 400 days are chosen, not measured on a production-sized table. A tenant with a very high
 * event rate may need lower limits, or limits scaled by its recent daily event count.
 */
export const QUERY_COST_LIMITS = {
  maxDays: 93,
  maxDaysPinnedToCampaign: 400,
} as const;

const DAY_MS = 86_400_000;

export interface TimeWindow {
  from: Date;
  to: Date;
}

/**
 * Find the span of occurred_at that every row matching the filter lies in, or undefined when the filter
 * sets no lower bound. Upper bounds past `now` are cut to `now`, because no event lies in the future.
 */
export function scanWindow(filter: EventFilter, now: Date): TimeWindow | undefined {
  switch (filter.kind) {
    case "condition": {
      const condition = filter.condition;
      if (condition.field !== "occurredAt") return undefined;
      if (condition.op === "last") return { from: windowStart(now, condition.window), to: now };
      if (!condition.from) return undefined;
      const to = condition.to && condition.to < now ? condition.to : now;
      return { from: condition.from, to };
    }

    case "and": {
      const windows = filter.filters.map((child) => scanWindow(child, now)).filter((window) => window !== undefined);
      if (windows.length === 0) return undefined;
      return {
        from: new Date(Math.max(...windows.map((window) => window.from.getTime()))),
        to: new Date(Math.min(...windows.map((window) => window.to.getTime()))),
      };
    }

    case "or": {
      if (filter.filters.length === 0) return undefined;
      const windows = filter.filters.map((child) => scanWindow(child, now));
      if (windows.some((window) => window === undefined)) return undefined;
      const bounded = windows as TimeWindow[];
      return {
        from: new Date(Math.min(...bounded.map((window) => window.from.getTime()))),
        to: new Date(Math.max(...bounded.map((window) => window.to.getTime()))),
      };
    }

    case "not":
      return undefined;

    default:
      return unreachable(filter);
  }
}

/** True when every row the filter matches has one of the campaign ids it names. */
export function pinsCampaign(filter: EventFilter): boolean {
  switch (filter.kind) {
    case "condition":
      return filter.condition.field === "campaignId";
    case "and":
      return filter.filters.some(pinsCampaign);
    case "or":
      return filter.filters.length > 0 && filter.filters.every(pinsCampaign);
    case "not":
      return false;
    default:
      return unreachable(filter);
  }
}

/** Whole days a window covers, rounded up; an empty or inverted window covers none. */
export function windowDays(window: TimeWindow): number {
  return Math.max(0, Math.ceil((window.to.getTime() - window.from.getTime()) / DAY_MS));
}

/**
 * Throw BAD_USER_INPUT when the filter is over the cost limit; return its window otherwise. `field` is
 * the argument path named in the error, such as "filter" or "did.filter".
 */
export function checkQueryCost(filter: EventFilter, now: Date, field: string): TimeWindow {
  const window = scanWindow(filter, now);
  if (!window) {
    throw new DomainError(
      "BAD_USER_INPUT",
      "UNBOUNDED_TIME_RANGE",
      "events.unboundedTimeRange",
      { field, maxDays: QUERY_COST_LIMITS.maxDays },
      { field: `${field}.occurredAt`, limitDays: QUERY_COST_LIMITS.maxDays },
    );
  }

  const days = windowDays(window);
  const limit = pinsCampaign(filter) ? QUERY_COST_LIMITS.maxDaysPinnedToCampaign : QUERY_COST_LIMITS.maxDays;
  if (days > limit) {
    throw new DomainError(
      "BAD_USER_INPUT",
      "QUERY_TOO_EXPENSIVE",
      "events.queryTooExpensive",
      {
        field,
        days,
        maxDays: QUERY_COST_LIMITS.maxDays,
        maxDaysPinned: QUERY_COST_LIMITS.maxDaysPinnedToCampaign,
      },
      { field: `${field}.occurredAt`, costDays: days, limitDays: limit },
    );
  }
  return window;
}
