import { DomainError } from "../../graphql/errors.js";
import { parseGlobalId } from "../../graphql/relay/global-id.js";
import type { MessageKey, MessageParams } from "../../i18n/messages.js";
import { normalizeMobile, normalizeMobilePrefix } from "../customers/mobile.js";
import { idFieldTypeNames } from "./customer-event.type.js";
import type { EventCondition, EventFilter, IdField, RelativeTimeUnit, RelativeWindow } from "./event-filter.js";
import type {
  CustomerEventFilter,
  EventAmountCondition,
  EventIdCondition,
  EventMobileCondition,
  EventTimeCondition,
  RelativeTimeWindow,
} from "./event-filter.inputs.js";

/** Most values one `in` list accepts. */
export const MAX_IN_VALUES = 100;
/** Most conditions one filter may contain, counting every nested level. */
export const MAX_FILTER_CONDITIONS = 50;
/** Deepest nesting of and, or and not. */
export const MAX_FILTER_DEPTH = 5;

/** Largest `amount` of a rolling window per unit: about ten years each. */
const MAX_WINDOW_AMOUNT: Record<RelativeTimeUnit, number> = {
  MINUTE: 5_256_000,
  HOUR: 87_600,
  DAY: 3_650,
  WEEK: 520,
  MONTH: 120,
};

const filterIdFields = [
  "campaignId",
  "voucherBatchId",
  "redPacketId",
  "orderId",
  "productId",
  "merchantAccountId",
] as const satisfies readonly IdField[];

/**
 * Check a CustomerEventFilter input and turn it into an EventFilter: every condition sets exactly one
 * operator, lists are bounded, global ids are decoded and mobile numbers normalized. Throws
 * BAD_USER_INPUT naming the path of the first bad value, such as `filter.or[1].mobile.prefix`.
 */
export function parseEventFilter(input: CustomerEventFilter | null | undefined, path: string): EventFilter {
  if (!input) return { kind: "and", filters: [] };

  const size = measureFilter(input);
  if (size.conditions > MAX_FILTER_CONDITIONS || size.depth > MAX_FILTER_DEPTH) {
    throw invalid(path, "FILTER_TOO_COMPLEX", "events.filterTooComplex", {
      conditions: size.conditions,
      depth: size.depth,
      maxConditions: MAX_FILTER_CONDITIONS,
      maxDepth: MAX_FILTER_DEPTH,
    });
  }

  return parseLevel(input, path);
}

function parseLevel(input: CustomerEventFilter, path: string): EventFilter {
  const parts: EventFilter[] = [];
  const condition = (value: EventCondition) => parts.push({ kind: "condition", condition: value });

  if (input.type) {
    condition({ field: "type", op: "in", values: equalsOrIn(input.type, `${path}.type`) });
  }
  if (input.source) {
    condition({ field: "source", op: "in", values: equalsOrIn(input.source, `${path}.source`) });
  }
  for (const field of filterIdFields) {
    const value = input[field];
    if (value) condition(parseIdCondition(field, value, `${path}.${field}`));
  }
  if (input.openid) {
    condition({ field: "openid", op: "in", values: equalsOrIn(input.openid, `${path}.openid`) });
  }
  if (input.mobile) condition(parseMobileCondition(input.mobile, `${path}.mobile`));
  if (input.amount) condition(parseAmountCondition(input.amount, `${path}.amount`));
  if (input.occurredAt) condition(parseTimeCondition(input.occurredAt, `${path}.occurredAt`));

  input.and?.forEach((child, index) => parts.push(parseLevel(child, `${path}.and[${index}]`)));
  if (input.or) {
    parts.push({ kind: "or", filters: input.or.map((child, index) => parseLevel(child, `${path}.or[${index}]`)) });
  }
  if (input.not) parts.push({ kind: "not", filter: parseLevel(input.not, `${path}.not`) });

  return parts.length === 1 ? parts[0]! : { kind: "and", filters: parts };
}

/** Collect the values of a condition that offers equals and in into one list. */
function equalsOrIn<T>(condition: { equals?: T | null; in?: T[] | null }, path: string): T[] {
  requireOneOperator(condition, ["equals", "in"], path);
  if (condition.equals !== undefined && condition.equals !== null) return [condition.equals];

  const values = condition.in!;
  if (values.length === 0) throw invalid(`${path}.in`, "EMPTY_LIST", "events.emptyList", {});
  if (values.length > MAX_IN_VALUES) {
    throw invalid(`${path}.in`, "TOO_MANY_VALUES", "events.tooManyValues", { max: MAX_IN_VALUES, count: values.length });
  }
  return [...new Set(values)];
}

function parseIdCondition(field: IdField, condition: EventIdCondition, path: string): EventCondition {
  const globalIds = equalsOrIn(condition, path);
  const operatorPath = condition.in ? `${path}.in` : `${path}.equals`;
  const values = globalIds.map((globalId) => parseGlobalId(idFieldTypeNames[field], globalId, operatorPath));
  return { field, op: "in", values };
}

function parseMobileCondition(condition: EventMobileCondition, path: string): EventCondition {
  requireOneOperator(condition, ["equals", "prefix"], path);

  if (condition.equals !== undefined && condition.equals !== null) {
    const mobile = normalizeMobile(condition.equals);
    if (!mobile) throw invalid(`${path}.equals`, "INVALID_MOBILE", "events.mobile", { value: condition.equals });
    return { field: "mobile", op: "in", values: [mobile] };
  }

  const prefix = normalizeMobilePrefix(condition.prefix!);
  if (!prefix) throw invalid(`${path}.prefix`, "INVALID_MOBILE_PREFIX", "events.mobilePrefix", { value: condition.prefix });
  return { field: "mobile", op: "prefix", prefix };
}

function parseAmountCondition(condition: EventAmountCondition, path: string): EventCondition {
  requireOneOperator(condition, ["equals", "in", "range"], path);
  if (!condition.range) return { field: "amount", op: "in", values: equalsOrIn(condition, path) };

  const { min, max } = condition.range;
  if ((min === undefined || min === null) && (max === undefined || max === null)) {
    throw invalid(`${path}.range`, "REQUIRED", "validation.required", { field: `${path}.range.min or max` });
  }
  if (min !== undefined && min !== null && max !== undefined && max !== null && min > max) {
    throw invalid(`${path}.range`, "INVALID_RANGE", "events.amountRange", { min, max });
  }
  return { field: "amount", op: "range", min: min ?? undefined, max: max ?? undefined };
}

function parseTimeCondition(condition: EventTimeCondition, path: string): EventCondition {
  const hasRange = Boolean(condition.from || condition.to);
  const operatorCount = (hasRange ? 1 : 0) + (condition.last ? 1 : 0);
  if (operatorCount !== 1) {
    throw invalid(path, "INVALID_OPERATOR_COUNT", "events.operatorCount", {
      operators: "from/to, last",
      count: operatorCount,
    });
  }

  if (condition.last) return { field: "occurredAt", op: "last", window: parseRelativeWindow(condition.last, `${path}.last`) };

  const from = condition.from ?? undefined;
  const to = condition.to ?? undefined;
  if (from && to && to <= from) {
    throw new DomainError("BAD_USER_INPUT", "INVALID_TIME_RANGE", "validation.timeRange", { field: path }, { field: `${path}.to` });
  }
  return { field: "occurredAt", op: "range", from, to };
}

/** Check a rolling window's amount against the bound of its unit. */
export function parseRelativeWindow(window: RelativeTimeWindow, path: string): RelativeWindow {
  const max = MAX_WINDOW_AMOUNT[window.unit];
  if (!Number.isInteger(window.amount) || window.amount < 1 || window.amount > max) {
    throw invalid(path, "INVALID_WINDOW", "events.windowAmount", { max, unit: window.unit, value: window.amount });
  }
  return { amount: window.amount, unit: window.unit };
}

function requireOneOperator(condition: object, operators: string[], path: string): void {
  const values = condition as Record<string, unknown>;
  const count = operators.filter((operator) => values[operator] !== undefined && values[operator] !== null).length;
  if (count !== 1) {
    throw invalid(path, "INVALID_OPERATOR_COUNT", "events.operatorCount", { operators: operators.join(", "), count });
  }
}

const conditionKeys = [
  "type",
  "source",
  ...filterIdFields,
  "openid",
  "mobile",
  "amount",
  "occurredAt",
] as const satisfies readonly (keyof CustomerEventFilter)[];

/** Conditions in the whole tree and the deepest level, where the top filter is level 1. */
function measureFilter(input: CustomerEventFilter): { conditions: number; depth: number } {
  let conditions = conditionKeys.filter((key) => input[key] !== undefined && input[key] !== null).length;
  let childDepth = 0;
  const children = [...(input.and ?? []), ...(input.or ?? []), ...(input.not ? [input.not] : [])];
  for (const child of children) {
    const size = measureFilter(child);
    conditions += size.conditions;
    childDepth = Math.max(childDepth, size.depth);
  }
  return { conditions, depth: childDepth + 1 };
}

function invalid(path: string, reason: string, key: MessageKey, params: MessageParams): DomainError {
  return new DomainError("BAD_USER_INPUT", reason, key, { field: path, ...params }, { field: path });
}
