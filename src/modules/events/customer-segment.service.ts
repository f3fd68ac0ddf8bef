import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { decodeCursor, pageSize, toConnection } from "../../graphql/relay/pagination.js";
import { isRowId } from "./customer-event.repository.js";
import { prepareEventFilter } from "./customer-event.service.js";
import { parseRelativeWindow } from "./event-filter.parse.js";
import { countSegment, listSegment, type SegmentCustomerRow, type SegmentQuery } from "./customer-segment.repository.js";
import { SegmentCustomer, type CustomerSegment, type SegmentAbsenceCondition, type SegmentEventCondition } from "./customer-segment.type.js";

/** Largest accepted did.minCount. */
export const MAX_MIN_COUNT = 1_000;

export interface SegmentRequest {
  did: SegmentEventCondition;
  didNot: SegmentAbsenceCondition | null | undefined;
  first: number | null | undefined;
  after: string | null | undefined;
}

/**
 * Find the customers who had at least `did.minCount` events of `did.type` matching `did.filter`, and,
 * when didNot is given, no event of `didNot.type` matching `didNot.filter` in the rolling window
 * `didNot.within`. Both event filters pass the cost check; customers without a row in the customers
 * table are left out.
 */
export async function findCustomerSegment(ctx: RequestContext, request: SegmentRequest): Promise<CustomerSegment> {
  const { did, didNot } = request;
  if (!Number.isInteger(did.minCount) || did.minCount < 1 || did.minCount > MAX_MIN_COUNT) {
    throw new DomainError("BAD_USER_INPUT", "INVALID_MIN_COUNT", "events.minCount", { max: MAX_MIN_COUNT, value: did.minCount }, { field: "did.minCount" });
  }

  const size = pageSize(request.first);
  const afterCustomerId = request.after ? parseSegmentCursor(request.after) : undefined;
  const now = ctx.services.now();

  const didFilter = prepareEventFilter(did.filter, "did.filter", now);
  const query: SegmentQuery = { did: { type: did.type, where: didFilter.where, minCount: did.minCount } };
  if (didNot) {
    const window = parseRelativeWindow(didNot.within, "didNot.within");
    // The window joins the filter as an occurredAt condition, so the cost check prices it like any other.
    const absence = prepareEventFilter(didNot.filter, "didNot.filter", now, [
      { kind: "condition", condition: { field: "occurredAt", op: "last", window } },
    ]);
    query.didNot = { type: didNot.type, where: absence.where };
  }

  const scope = tenantScope(ctx);
  const [rows, total] = await Promise.all([
    listSegment(scope, query, afterCustomerId, size + 1),
    countSegment(scope, query),
  ]);

  const customers = toConnection(
    rows,
    size,
    total,
    afterCustomerId !== undefined,
    (row: SegmentCustomerRow) => ({ key: row.id, id: row.id }),
    SegmentCustomer.fromRow,
  );
  return { count: total, customers };
}

function parseSegmentCursor(after: string): string {
  const cursor = decodeCursor(after);
  if (!isRowId(cursor.id)) {
    throw new DomainError("BAD_USER_INPUT", "INVALID_CURSOR", "error.invalidCursor", { cursor: after }, { field: "after" });
  }
  return cursor.id;
}
