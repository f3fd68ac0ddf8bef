import { sql } from "drizzle-orm";
import type { Executor } from "../../db/database.js";
import {
  customerEvents,
  type CustomerEventSource,
  type CustomerEventType,
} from "./customer-event.table.js";

export type { CustomerEventSource, CustomerEventType };

/** Longest accepted event key, in characters. */
const MAX_EVENT_KEY_LENGTH = 200;

/** One fact about a customer, as another module reports it. Ids are row ids (UUIDs), not global ids. */
export interface CustomerEventInput {
  /**
   * Stable key built from the business ids that caused the event, such as `VOUCHER_ISSUED:<grant id>`
   * (see customerEventKey). Recording the same key twice in a tenant stores the event once.
   */
  eventKey: string;
  type: CustomerEventType;
  occurredAt: Date;
  source: CustomerEventSource;
  customerId: string;
  openid: string;
  /** E.164 mobile number (+86…) when known. */
  mobile?: string | null;
  campaignId?: string | null;
  merchantAccountId?: string | null;
  voucherBatchId?: string | null;
  redPacketId?: string | null;
  orderId?: string | null;
  productId?: string | null;
  /** WeChat Pay's id of the object: coupon_id, send_listid, transfer_bill_no or transaction_id. */
  wechatObjectId?: string | null;
  /** Money the event moved, in whole fen. */
  amount?: number | null;
  /** Further facts to keep with the event; never credentials. */
  attributes?: Record<string, unknown>;
}

/** Build the event key of an event caused by one business object: `<type>:<object id>`. */
export function customerEventKey(type: CustomerEventType, objectId: string): string {
  return `${type}:${objectId}`;
}

/**
 * Insert a customer event inside the caller's transaction. Returns true when the event is new and false
 * when an event with the same key was already recorded for the tenant, so retried notifications and
 * jobs record each fact once. Throws on an invalid key or amount, which are programming errors.
 *
 * Publish live counts (notifyCampaignActivity) only after the transaction commits.
 */
export async function recordCustomerEvent(db: Executor, tenantId: string, event: CustomerEventInput): Promise<boolean> {
  return (await recordCustomerEvents(db, tenantId, [event])) === 1;
}

/** Insert many customer events in one statement; returns how many were new. */
export async function recordCustomerEvents(
  db: Executor,
  tenantId: string,
  events: readonly CustomerEventInput[],
): Promise<number> {
  if (events.length === 0) return 0;
  for (const event of events) assertValidEvent(event);

  const inserted = await db
    .insert(customerEvents)
    .values(events.map((event) => toRow(tenantId, event)))
    .onConflictDoNothing({ target: [customerEvents.tenantId, customerEvents.eventKey] })
    .returning({ inserted: sql<number>`1` });
  return inserted.length;
}

function toRow(tenantId: string, event: CustomerEventInput): typeof customerEvents.$inferInsert {
  return {
    tenantId,
    eventKey: event.eventKey,
    type: event.type,
    occurredAt: event.occurredAt,
    source: event.source,
    customerId: event.customerId,
    openid: event.openid,
    mobile: event.mobile ?? null,
    campaignId: event.campaignId ?? null,
    merchantAccountId: event.merchantAccountId ?? null,
    voucherBatchId: event.voucherBatchId ?? null,
    redPacketId: event.redPacketId ?? null,
    orderId: event.orderId ?? null,
    productId: event.productId ?? null,
    wechatObjectId: event.wechatObjectId ?? null,
    amount: event.amount ?? null,
    attributes: event.attributes ?? {},
  };
}

function assertValidEvent(event: CustomerEventInput): void {
  if (event.eventKey.length === 0 || event.eventKey.length > MAX_EVENT_KEY_LENGTH) {
    throw new Error(`customer event key must have 1 to ${MAX_EVENT_KEY_LENGTH} characters, got ${event.eventKey.length}`);
  }
  if (event.amount !== undefined && event.amount !== null) {
    if (!Number.isSafeInteger(event.amount) || event.amount < 0) {
      throw new Error(`customer event amount must be a non-negative whole number of fen, got ${event.amount}`);
    }
  }
  if (Number.isNaN(event.occurredAt.getTime())) {
    throw new Error(`customer event ${event.eventKey} has an invalid occurredAt`);
  }
}
