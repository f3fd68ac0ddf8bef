import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema.js";

/** The query builder type shared by the PGlite and postgres.js drivers, so no code branches on the driver. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A transaction handle has the same query API as the database itself. */
export type Executor = Database;
