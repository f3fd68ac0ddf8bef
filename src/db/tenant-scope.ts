import { and, eq, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Database, Executor } from "./database.js";

interface TenantOwned {
  tenantId: PgColumn;
}

/**
 * The only way services and repositories reach business tables: every filter it builds starts with the
 * tenant condition and every row it prepares carries the tenant id, so a query cannot leave it out.
 * A transaction opened through it stays scoped to the same tenant.
 */
export class TenantScope {
  constructor(
    readonly tenantId: string,
    readonly db: Executor,
  ) {}

  /** The tenant condition for a table, joined with any further conditions. */
  where(table: TenantOwned, ...conditions: (SQL | undefined)[]): SQL {
    return and(eq(table.tenantId, this.tenantId), ...conditions) as SQL;
  }

  /** A row to insert, stamped with this tenant. */
  row<T extends object>(values: T): T & { tenantId: string } {
    return { ...values, tenantId: this.tenantId };
  }

  transaction<T>(work: (scope: TenantScope) => Promise<T>): Promise<T> {
    return (this.db as Database).transaction((tx) => work(new TenantScope(this.tenantId, tx as unknown as Executor)));
  }
}
