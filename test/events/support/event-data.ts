import { randomUUID } from "node:crypto";
import type { Database } from "../../../src/db/database.js";
import { campaigns } from "../../../src/modules/campaigns/campaign.table.js";
import { customers } from "../../../src/modules/customers/customer.table.js";
import {
  customerEvents,
  customerEventSources,
  customerEventTypes,
  type CustomerEventRow,
  type CustomerEventType,
} from "../../../src/modules/events/customer-event.table.js";

/** Create a small deterministic random source (mulberry32), so every run generates the same data set. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface GeneratedCustomer {
  id: string;
  appid: string;
  openid: string;
  mobile: string | null;
}

export interface GeneratedData {
  tenantId: string;
  customers: GeneratedCustomer[];
  campaignIds: string[];
  voucherBatchIds: string[];
  productIds: string[];
  merchantAccountIds: string[];
  events: CustomerEventRow[];
}

export interface GenerateOptions {
  tenantId: string;
  seed: number;
  now: Date;
  customerCount: number;
  eventCount: number;
  /** Events are spread over this many days before `now`. */
  spanDays: number;
}

const DAY_MS = 86_400_000;

const pick = <T>(random: () => number, values: readonly T[]): T => values[Math.floor(random() * values.length)]!;

/**
 * Build a tenant's customers, campaigns and events in memory. Amounts exist on red packet and order
 * events only, voucher batches on voucher events only, as the producing modules record them.
 */
export function generateEventData(options: GenerateOptions): GeneratedData {
  const random = seededRandom(options.seed);
  const uuids = (count: number) => Array.from({ length: count }, () => randomUUID());

  const generatedCustomers: GeneratedCustomer[] = Array.from({ length: options.customerCount }, (_, index) => ({
    id: randomUUID(),
    appid: index % 5 === 0 ? "wx-mini" : "wx-official",
    openid: `o-${options.tenantId}-${String(index).padStart(3, "0")}`,
    mobile: index % 4 === 3 ? null : `+861${index % 2 === 0 ? "38" : "59"}${String(10_000_000 + index * 7919).slice(0, 8)}`,
  }));

  const campaignIds = uuids(3);
  const voucherBatchIds = uuids(2);
  const productIds = uuids(2);
  const merchantAccountIds = uuids(2);

  const events: CustomerEventRow[] = Array.from({ length: options.eventCount }, (_, index) => {
    const type = pick(random, customerEventTypes);
    const customer = pick(random, generatedCustomers);
    const isRedPacket = type.startsWith("RED_PACKET");
    const isVoucher = type.startsWith("VOUCHER");
    const isOrder = type.startsWith("ORDER");
    const occurredAt = new Date(options.now.getTime() - Math.floor(random() * options.spanDays * DAY_MS));

    return {
      id: randomUUID(),
      tenantId: options.tenantId,
      eventKey: `${type}:${index}`,
      type,
      occurredAt,
      source: pick(random, customerEventSources),
      customerId: customer.id,
      openid: customer.openid,
      mobile: customer.mobile,
      campaignId: random() < 0.85 ? pick(random, campaignIds) : null,
      merchantAccountId: isOrder ? null : pick(random, merchantAccountIds),
      voucherBatchId: isVoucher ? pick(random, voucherBatchIds) : null,
      redPacketId: isRedPacket ? randomUUID() : null,
      orderId: isOrder ? randomUUID() : null,
      productId: isOrder ? pick(random, productIds) : null,
      wechatObjectId: isVoucher ? `coupon-${index}` : null,
      amount: isRedPacket || isOrder ? 100 + Math.floor(random() * 200) * 100 : null,
      attributes: { index },
    };
  });

  return {
    tenantId: options.tenantId,
    customers: generatedCustomers,
    campaignIds,
    voucherBatchIds,
    productIds,
    merchantAccountIds,
    events,
  };
}

/** Write a generated data set straight into the tables, as the producing modules would have. */
export async function insertEventData(db: Database, data: GeneratedData): Promise<void> {
  await db.insert(customers).values(data.customers.map((customer) => ({ ...customer, tenantId: data.tenantId })));
  await db.insert(campaigns).values(
    data.campaignIds.map((id, index) => ({ id, tenantId: data.tenantId, name: `活动 ${index + 1}`, status: "ACTIVE" as const })),
  );
  await insertEvents(db, data.events);
}

export async function insertEvents(db: Database, events: CustomerEventRow[]): Promise<void> {
  for (let start = 0; start < events.length; start += 500) {
    await db.insert(customerEvents).values(events.slice(start, start + 500));
  }
}

/** Build a single event row with defaults, for tests that place events by hand. */
export function eventRow(
  tenantId: string,
  customer: GeneratedCustomer,
  type: CustomerEventType,
  occurredAt: Date,
  extra: Partial<CustomerEventRow> = {},
): CustomerEventRow {
  return {
    id: randomUUID(),
    tenantId,
    eventKey: `${type}:${randomUUID()}`,
    type,
    occurredAt,
    source: "PAGE",
    customerId: customer.id,
    openid: customer.openid,
    mobile: customer.mobile,
    campaignId: null,
    merchantAccountId: null,
    voucherBatchId: null,
    redPacketId: null,
    orderId: null,
    productId: null,
    wechatObjectId: null,
    amount: null,
    attributes: {},
    ...extra,
  };
}
