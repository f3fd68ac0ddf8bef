import { decodeGlobalId } from "../../../src/graphql/relay/global-id.js";
import type { CustomerEventRow } from "../../../src/modules/events/customer-event.table.js";
import { windowStart } from "../../../src/modules/events/event-filter.js";
import type { CustomerEventFilter } from "../../generated/graphql.js";

/**
 * Decide whether a row matches a CustomerEventFilter, written out in plain TypeScript over rows in memory,
 * so API results can be checked against it instead of against numbers typed into the tests.
 */
export function matchesFilter(row: CustomerEventRow, filter: CustomerEventFilter, now: Date): boolean {
  const checks: boolean[] = [];
  const within = <T>(value: T, condition: { equals?: T | null; in?: T[] | null }) =>
    condition.equals !== undefined && condition.equals !== null ? value === condition.equals : (condition.in ?? []).includes(value);
  const rowIds = (condition: { equals?: string | number | null; in?: (string | number)[] | null }) => ({
    equals: condition.equals ? decodeGlobalId(String(condition.equals))?.id : undefined,
    in: condition.in?.map((id) => decodeGlobalId(String(id))?.id ?? ""),
  });

  if (filter.type) checks.push(within(row.type, filter.type));
  if (filter.source) checks.push(within(row.source, filter.source));
  for (const field of ["campaignId", "voucherBatchId", "redPacketId", "orderId", "productId", "merchantAccountId"] as const) {
    const condition = filter[field];
    if (condition) checks.push(row[field] !== null && within<string | null>(row[field], rowIds(condition)));
  }
  if (filter.openid) checks.push(within(row.openid, filter.openid));
  if (filter.mobile?.equals) checks.push(row.mobile === filter.mobile.equals);
  if (filter.mobile?.prefix) checks.push(row.mobile !== null && row.mobile.startsWith(filter.mobile.prefix));
  if (filter.amount) {
    const { amount } = row;
    if (filter.amount.range) {
      const { min, max } = filter.amount.range;
      checks.push(amount !== null && (min == null || amount >= min) && (max == null || amount <= max));
    } else {
      checks.push(amount !== null && within<number | null>(amount, filter.amount));
    }
  }
  if (filter.occurredAt) {
    const time = row.occurredAt.getTime();
    const { from, to, last } = filter.occurredAt;
    if (last) checks.push(time >= windowStart(now, last).getTime());
    else checks.push((!from || time >= Date.parse(from)) && (!to || time < Date.parse(to)));
  }

  for (const child of filter.and ?? []) checks.push(matchesFilter(row, child, now));
  if (filter.or) checks.push(filter.or.some((child) => matchesFilter(row, child, now)));
  if (filter.not) checks.push(!matchesFilter(row, filter.not, now));

  return checks.every(Boolean);
}
