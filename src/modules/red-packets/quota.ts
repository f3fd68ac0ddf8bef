import type { QuotaLimitKind } from "./red-packet.tables.js";

/** The four limits of a red packet; null means unlimited. Counts are grants, amounts are fen. */
export interface QuotaLimits {
  totalCount: number | null;
  totalAmount: number | null;
  dailyCount: number | null;
  dailyAmount: number | null;
}

/** Usage that counts against the limits: grants reserved (in flight) plus grants issued. */
export interface QuotaUsage {
  totalCount: number;
  totalAmount: number;
  dailyCount: number;
  dailyAmount: number;
}

/** Remaining quota of each limit, never below zero; null for an unlimited one. */
export interface QuotaRemaining {
  totalCount: number | null;
  totalAmount: number | null;
  dailyCount: number | null;
  dailyAmount: number | null;
}

const LIMIT_ORDER: readonly QuotaLimitKind[] = ["TOTAL_COUNT", "TOTAL_AMOUNT", "DAILY_COUNT", "DAILY_AMOUNT"];

function limitOf(limits: QuotaLimits, kind: QuotaLimitKind): number | null {
  switch (kind) {
    case "TOTAL_COUNT":
      return limits.totalCount;
    case "TOTAL_AMOUNT":
      return limits.totalAmount;
    case "DAILY_COUNT":
      return limits.dailyCount;
    case "DAILY_AMOUNT":
      return limits.dailyAmount;
  }
}

function usedOf(usage: QuotaUsage, kind: QuotaLimitKind): number {
  switch (kind) {
    case "TOTAL_COUNT":
      return usage.totalCount;
    case "TOTAL_AMOUNT":
      return usage.totalAmount;
    case "DAILY_COUNT":
      return usage.dailyCount;
    case "DAILY_AMOUNT":
      return usage.dailyAmount;
  }
}

function isAmountLimit(kind: QuotaLimitKind): boolean {
  return kind === "TOTAL_AMOUNT" || kind === "DAILY_AMOUNT";
}

export function remainingQuota(limits: QuotaLimits, usage: QuotaUsage): QuotaRemaining {
  const left = (kind: QuotaLimitKind) => {
    const limit = limitOf(limits, kind);
    return limit === null ? null : Math.max(0, limit - usedOf(usage, kind));
  };
  return {
    totalCount: left("TOTAL_COUNT"),
    totalAmount: left("TOTAL_AMOUNT"),
    dailyCount: left("DAILY_COUNT"),
    dailyAmount: left("DAILY_AMOUNT"),
  };
}

/** Return the first limit (total before daily, count before amount) that a grant of `amount` fen would break. */
export function limitBrokenBy(limits: QuotaLimits, usage: QuotaUsage, amount: number): QuotaLimitKind | undefined {
  return LIMIT_ORDER.find((kind) => {
    const limit = limitOf(limits, kind);
    if (limit === null) return false;
    return usedOf(usage, kind) + (isAmountLimit(kind) ? amount : 1) > limit;
  });
}

export interface ThresholdCrossing {
  kind: QuotaLimitKind;
  used: number;
  limit: number;
}

/**
 * Limits whose usage went from below `thresholdPercent` of the limit to at or above it between two
 * snapshots. Usage falls again only when a failed payout releases its quota, so a limit can cross
 * more than once, and each crossing is reported once.
 */
export function crossedThresholds(
  limits: QuotaLimits,
  before: QuotaUsage,
  after: QuotaUsage,
  thresholdPercent: number | null,
): ThresholdCrossing[] {
  if (thresholdPercent === null) return [];

  const crossings: ThresholdCrossing[] = [];
  for (const kind of LIMIT_ORDER) {
    const limit = limitOf(limits, kind);
    if (limit === null) continue;

    // Compared in whole numbers (used × 100 against threshold × limit), so no rounding decides a crossing.
    const mark = thresholdPercent * limit;
    if (usedOf(before, kind) * 100 < mark && usedOf(after, kind) * 100 >= mark) {
      crossings.push({ kind, used: usedOf(after, kind), limit });
    }
  }
  return crossings;
}

/** Count the grants of `amount` fen each that the remaining quota allows; undefined when nothing limits them. */
function grantsAllowed(remaining: QuotaRemaining, amount: number): number | undefined {
  const candidates = [
    remaining.totalCount,
    remaining.dailyCount,
    remaining.totalAmount === null ? null : Math.floor(remaining.totalAmount / amount),
    remaining.dailyAmount === null ? null : Math.floor(remaining.dailyAmount / amount),
  ].filter((value): value is number => value !== null);
  return candidates.length === 0 ? undefined : Math.min(...candidates);
}

export interface SendPlan {
  /** Grants that fit whatever amounts are drawn (every grant at the maximum amount). */
  guaranteed: number;
  /** Grants that fit at best (every grant at the minimum amount). Equal to `guaranteed` for fixed amounts. */
  possible: number;
  /** The limit that stops the send first, when one does. */
  bindingLimit: QuotaLimitKind | undefined;
}

/**
 * Predict a send of `customers` grants in list order against today's remaining quota. Customers at
 * positions from `guaranteed` on may hit a limit; those from `possible` on certainly do.
 */
export function planSend(input: {
  limits: QuotaLimits;
  usage: QuotaUsage;
  minAmount: number;
  maxAmount: number;
  customers: number;
}): SendPlan {
  const remaining = remainingQuota(input.limits, input.usage);
  const atMaximum = grantsAllowed(remaining, input.maxAmount);
  const atMinimum = grantsAllowed(remaining, input.minAmount);
  const guaranteed = Math.min(input.customers, atMaximum ?? input.customers);
  const possible = Math.min(input.customers, atMinimum ?? input.customers);

  let bindingLimit: QuotaLimitKind | undefined;
  if (guaranteed < input.customers) {
    // The limit that runs out first is the one the next grant at the maximum amount would break.
    const usedAfter = {
      totalCount: input.usage.totalCount + guaranteed,
      totalAmount: input.usage.totalAmount + guaranteed * input.maxAmount,
      dailyCount: input.usage.dailyCount + guaranteed,
      dailyAmount: input.usage.dailyAmount + guaranteed * input.maxAmount,
    };
    bindingLimit = limitBrokenBy(input.limits, usedAfter, input.maxAmount);
  }
  return { guaranteed, possible, bindingLimit };
}

/** Return the local date (YYYY-MM-DD) of an instant in an IANA time zone; daily limits reset at its midnight. */
export function localDay(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at);
  const part = (type: string) => parts.find((item) => item.type === type)!.value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}
