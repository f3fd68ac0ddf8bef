import DataLoader from "dataloader";
import { count, desc, inArray, sql } from "drizzle-orm";
import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { customerEvents, type CustomerEventRow } from "../events/customer-event.table.js";
import { voucherGrants, type VoucherGrantRow } from "../vouchers/voucher.tables.js";

/** Most vouchers listed per customer. */
export const VOUCHERS_PER_CUSTOMER = 100;

export interface CustomerLoaders {
  /** Newest vouchers first, at most VOUCHERS_PER_CUSTOMER per customer. */
  vouchersByCustomerId: DataLoader<string, VoucherGrantRow[]>;
  /** The newest `limit` events of each customer; the key is "customerId:limit". */
  latestEventsByCustomer: DataLoader<string, CustomerEventRow[]>;
  eventCountByCustomerId: DataLoader<string, number>;
}

const loadersByRequest = new WeakMap<RequestContext, CustomerLoaders>();

/** Loaders that live for one request, so a list of customers costs one query per field, not per row. */
export function customerLoaders(ctx: RequestContext): CustomerLoaders {
  let loaders = loadersByRequest.get(ctx);
  if (loaders) return loaders;
  const scope = tenantScope(ctx);

  loaders = {
    vouchersByCustomerId: new DataLoader(async (customerIds) => {
      const rows = await scope.db
        .select()
        .from(voucherGrants)
        .where(scope.where(voucherGrants, inArray(voucherGrants.customerId, [...customerIds])))
        .orderBy(desc(voucherGrants.createdAt));
      return customerIds.map((id) => rows.filter((row) => row.customerId === id).slice(0, VOUCHERS_PER_CUSTOMER));
    }),

    latestEventsByCustomer: new DataLoader(async (keys) => {
      const parsed = keys.map((key) => {
        const [customerId, limit] = key.split(":");
        return { customerId: customerId!, limit: Number(limit) };
      });
      const largest = Math.max(...parsed.map((entry) => entry.limit));
      // One query for every customer: number each customer's events newest first and keep the first ones.
      const ranked = scope.db
        .select({
          id: customerEvents.id,
          rank: sql<number>`row_number() over (partition by ${customerEvents.customerId} order by ${customerEvents.occurredAt} desc, ${customerEvents.id} desc)`.as("rank"),
        })
        .from(customerEvents)
        .where(scope.where(customerEvents, inArray(customerEvents.customerId, parsed.map((entry) => entry.customerId))))
        .as("ranked");
      const rows = await scope.db
        .select({ event: customerEvents })
        .from(customerEvents)
        .innerJoin(ranked, sql`${ranked.id} = ${customerEvents.id}`)
        .where(sql`${ranked.rank} <= ${largest}`)
        .orderBy(desc(customerEvents.occurredAt), desc(customerEvents.id));
      return parsed.map((entry) =>
        rows
          .map((row) => row.event)
          .filter((event) => event.customerId === entry.customerId)
          .slice(0, entry.limit),
      );
    }),

    eventCountByCustomerId: new DataLoader(async (customerIds) => {
      const rows = await scope.db
        .select({ customerId: customerEvents.customerId, total: count() })
        .from(customerEvents)
        .where(scope.where(customerEvents, inArray(customerEvents.customerId, [...customerIds])))
        .groupBy(customerEvents.customerId);
      const totals = new Map(rows.map((row) => [row.customerId, row.total]));
      return customerIds.map((id) => totals.get(id) ?? 0);
    }),
  };
  loadersByRequest.set(ctx, loaders);
  return loaders;
}
