import { and, count, desc, eq, like, lt, or, type SQL } from "drizzle-orm";
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { Audience } from "../../auth/auth-checker.js";
import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { parseGlobalId, toGlobalId } from "../../graphql/relay/global-id.js";
import { decodeCursor, pageSize, toConnection } from "../../graphql/relay/pagination.js";
import { customerEvents } from "../events/customer-event.table.js";
import { CustomerEvent, CustomerEventConnection } from "../events/customer-event.type.js";
import { customerLoaders } from "./customer.loaders.js";
import { findCustomersByIds } from "./customer.repository.js";
import { customers } from "./customer.table.js";
import { Customer, CustomerConnection, CustomerFilter, CustomerVoucher } from "./customer.type.js";
import { normalizeMobile, normalizeMobilePrefix } from "./mobile.js";

@Resolver(() => Customer)
export class CustomerResolver {
  @Authorized(Audience.staffRead)
  @Query(() => Customer, { nullable: true })
  async customer(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string): Promise<Customer | null> {
    const [row] = await findCustomersByIds(tenantScope(ctx), [parseGlobalId("Customer", id)]);
    return row ? Customer.fromRow(row) : null;
  }

  @Authorized(Audience.staffRead)
  @Query(() => CustomerConnection, { description: "Customers of the tenant, newest first." })
  async customers(
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => CustomerFilter, { nullable: true }) filter: CustomerFilter | null,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    const scope = tenantScope(ctx);
    const size = pageSize(first);
    const cursor = after ? decodeCursor(after) : undefined;
    const conditions = customerConditions(filter ?? {});
    const afterCondition = cursor
      ? or(lt(customers.createdAt, new Date(cursor.key)), and(eq(customers.createdAt, new Date(cursor.key)), lt(customers.id, cursor.id)))
      : undefined;

    const [rows, [total]] = await Promise.all([
      scope.db
        .select()
        .from(customers)
        .where(scope.where(customers, ...conditions, afterCondition))
        .orderBy(desc(customers.createdAt), desc(customers.id))
        .limit(size + 1),
      scope.db.select({ total: count() }).from(customers).where(scope.where(customers, ...conditions)),
    ]);
    return toConnection(rows, size, total?.total ?? 0, cursor !== undefined, (row) => ({ key: row.createdAt.toISOString(), id: row.id }), Customer.fromRow);
  }

  @FieldResolver(() => CustomerEventConnection, { description: "The customer's events, newest first." })
  async events(
    @Root() customer: Customer,
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
  ) {
    const size = pageSize(first);
    const cursorOf = (row: { occurredAt: Date; id: string }) => ({ key: row.occurredAt.toISOString(), id: row.id });
    const loaders = customerLoaders(ctx);
    const total = await loaders.eventCountByCustomerId.load(customer.rowId);

    // The first page of many customers is batched; later pages are asked for one customer at a time.
    if (!after) {
      const rows = await loaders.latestEventsByCustomer.load(`${customer.rowId}:${size + 1}`);
      return toConnection(rows, size, total, false, cursorOf, CustomerEvent.fromRow);
    }

    const scope = tenantScope(ctx);
    const cursor = decodeCursor(after);
    const rows = await scope.db
      .select()
      .from(customerEvents)
      .where(
        scope.where(
          customerEvents,
          eq(customerEvents.customerId, customer.rowId),
          or(
            lt(customerEvents.occurredAt, new Date(cursor.key)),
            and(eq(customerEvents.occurredAt, new Date(cursor.key)), lt(customerEvents.id, cursor.id)),
          ),
        ),
      )
      .orderBy(desc(customerEvents.occurredAt), desc(customerEvents.id))
      .limit(size + 1);
    return toConnection(rows, size, total, true, cursorOf, CustomerEvent.fromRow);
  }

  @FieldResolver(() => [CustomerVoucher], { description: "Vouchers this platform sent to the customer, newest first (at most 100)." })
  async vouchers(@Root() customer: Customer, @Ctx() ctx: RequestContext): Promise<CustomerVoucher[]> {
    const rows = await customerLoaders(ctx).vouchersByCustomerId.load(customer.rowId);
    return rows.map((row) => ({
      couponId: row.couponId,
      status: row.status,
      batchId: toGlobalId("VoucherBatch", row.batchId),
      source: row.source,
      issuedAt: row.issuedAt,
      redeemedAt: row.redeemedAt,
    }));
  }
}

function customerConditions(filter: CustomerFilter): (SQL | undefined)[] {
  const conditions: (SQL | undefined)[] = [];
  if (filter.mobile) {
    const exact = normalizeMobile(filter.mobile);
    const prefix = exact ? undefined : normalizeMobilePrefix(filter.mobile);
    if (!exact && !prefix) {
      throw new DomainError("BAD_USER_INPUT", "INVALID_MOBILE", "customer.invalidMobile", { value: filter.mobile }, { field: "filter.mobile" });
    }
    conditions.push(exact ? eq(customers.mobile, exact) : like(customers.mobile, `${prefix}%`));
  }
  if (filter.openid) conditions.push(eq(customers.openid, filter.openid));
  if (filter.unionid) conditions.push(eq(customers.unionid, filter.unionid));
  return conditions;
}
