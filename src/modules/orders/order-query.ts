import { DomainError } from "../../graphql/errors.js";
import { parseGlobalId } from "../../graphql/relay/global-id.js";
import { normalizeMobile, normalizeMobilePrefix } from "../customers/mobile.js";
import type { OrderFilter } from "./order.inputs.js";
import type { OrderQuery } from "./order.repository.js";

/**
 * Turn a GraphQL order filter into a repository query: global ids become row ids and mobiles become
 * E.164. Throws BAD_USER_INPUT naming the field for a value that cannot match anything.
 */
export function toOrderQuery(filter: OrderFilter): OrderQuery {
  if (filter.mobile && filter.mobilePrefix) {
    throw new DomainError("BAD_USER_INPUT", "INVALID_FILTER", "order.mobileChoice", {}, { field: "filter.mobilePrefix" });
  }

  const query: OrderQuery = {};
  if (filter.mobile) {
    const mobile = normalizeMobile(filter.mobile);
    if (!mobile) throw new DomainError("BAD_USER_INPUT", "INVALID_MOBILE", "order.invalidMobile", { field: "filter.mobile", value: filter.mobile }, { field: "filter.mobile" });
    query.mobile = mobile;
  }
  if (filter.mobilePrefix) {
    const prefix = normalizeMobilePrefix(filter.mobilePrefix);
    if (!prefix) {
      throw new DomainError("BAD_USER_INPUT", "INVALID_MOBILE", "order.invalidMobilePrefix", { field: "filter.mobilePrefix", value: filter.mobilePrefix }, { field: "filter.mobilePrefix" });
    }
    query.mobilePrefix = prefix;
  }

  if (filter.productId) query.productRowId = parseGlobalId("Product", filter.productId, "filter.productId");
  if (filter.merchantAccountId) query.merchantAccountRowId = parseGlobalId("MerchantAccount", filter.merchantAccountId, "filter.merchantAccountId");
  if (filter.campaignId) query.campaignRowId = parseGlobalId("Campaign", filter.campaignId, "filter.campaignId");
  if (filter.pageId) query.pageId = filter.pageId;
  if (filter.status?.length) query.statuses = filter.status;
  if (filter.createdFrom) query.createdFrom = filter.createdFrom;
  if (filter.createdBefore) query.createdBefore = filter.createdBefore;

  if (query.createdFrom && query.createdBefore && query.createdBefore <= query.createdFrom) {
    throw new DomainError("BAD_USER_INPUT", "INVALID_TIME_RANGE", "validation.timeRange", { field: "filter.createdBefore" }, { field: "filter.createdBefore" });
  }
  return query;
}

/** Convert a query to plain JSON, to store in an export job's payload. */
export function serializeOrderQuery(query: OrderQuery): Record<string, unknown> {
  return {
    ...query,
    createdFrom: query.createdFrom?.toISOString(),
    createdBefore: query.createdBefore?.toISOString(),
  };
}

export function deserializeOrderQuery(value: Record<string, unknown>): OrderQuery {
  const query = { ...value } as OrderQuery & { createdFrom?: unknown; createdBefore?: unknown };
  return {
    ...query,
    createdFrom: typeof value["createdFrom"] === "string" ? new Date(value["createdFrom"]) : undefined,
    createdBefore: typeof value["createdBefore"] === "string" ? new Date(value["createdBefore"]) : undefined,
  };
}
