import type postgres from "postgres";

export interface StatementCounter {
  /** Statements sent since the last reset. */
  count(): number;
  /** The statements sent since the last reset, in order, when recording was asked for. */
  statements(): string[];
  reset(record?: boolean): void;
}

/**
 * Count every statement a postgres.js pool sends, BEGIN and COMMIT included. postgres.js calls its
 * `debug` option for each query it builds and reads that option from the shared options object on every
 * call (postgres 3.4), so setting it on a running pool observes the driver without changing its
 * behaviour.
 */
export function countStatements(client: postgres.Sql): StatementCounter {
  let sent = 0;
  let recording = false;
  let recorded: string[] = [];

  (client.options as { debug?: unknown }).debug = (_connection: number, query: string) => {
    sent++;
    if (recording) recorded.push(query);
  };

  return {
    count: () => sent,
    statements: () => [...recorded],
    reset(record = false) {
      sent = 0;
      recording = record;
      recorded = [];
    },
  };
}

/** The postgres.js pool under a drizzle database created by drizzle-orm/postgres-js. */
export function postgresClientOf(db: unknown): postgres.Sql {
  const client = (db as { $client?: postgres.Sql }).$client;
  if (!client || typeof client.unsafe !== "function" || !client.options) {
    throw new Error("the app's database is not a postgres.js pool; statement counting needs DATABASE_URL");
  }
  return client;
}
