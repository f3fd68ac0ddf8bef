import type postgres from "postgres";

/** A statement as the driver sent it, with its bind parameters. */
export interface SentStatement {
  text: string;
  parameters: unknown[];
}

export interface StatementCounter {
  /** Statements sent since the last reset. */
  count(): number;
  /** The statements kept since the last reset, oldest first. */
  statements(): SentStatement[];
  /** Start counting from zero, keeping the last `keep` statements (none by default). */
  reset(keep?: number): void;
}

/**
 * Count every statement a postgres.js pool sends, BEGIN and COMMIT included. postgres.js calls its
 * `debug` option for each query it builds and reads that option from the shared options object on every
 * call (postgres 3.4), so setting it on a running pool observes the driver without changing its
 * behaviour.
 */
export function countStatements(client: postgres.Sql): StatementCounter {
  let sent = 0;
  let keep = 0;
  let kept: SentStatement[] = [];

  (client.options as { debug?: unknown }).debug = (_connection: number, text: string, parameters: unknown[]) => {
    sent++;
    if (keep === 0) return;
    kept.push({ text, parameters });
    if (kept.length > keep) kept.shift();
  };

  return {
    count: () => sent,
    statements: () => [...kept],
    reset(newKeep = 0) {
      sent = 0;
      keep = newKeep;
      kept = [];
    },
  };
}

/** Return the postgres.js pool under a drizzle database created by drizzle-orm/postgres-js. */
export function postgresClientOf(db: unknown): postgres.Sql {
  const client = (db as { $client?: postgres.Sql }).$client;
  if (!client || typeof client.unsafe !== "function" || !client.options) {
    throw new Error("the app's database is not a postgres.js pool; statement counting needs DATABASE_URL");
  }
  return client;
}
