import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { DatabaseConfig } from "../config/config.js";
import type { Logger } from "../logging/logger.js";
import type { Database } from "./database.js";
import * as schema from "./schema.js";

/** drizzle/ sits two levels above both src/db and dist/db, so one relative path serves both. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseConfig["kind"];
  /** Rows of a raw statement, whichever driver runs it (PGlite wraps them in `{ rows }`). */
  rows<T extends Record<string, unknown>>(statement: ReturnType<typeof sql>): Promise<T[]>;
  migrate(): Promise<void>;
  /** True when the database answers and every migration in drizzle/ has been applied. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig, logger: Logger): Promise<DatabaseHandle> {
  const handle = config.kind === "postgres" ? await openPostgres(config) : await openPglite(config);
  logger.info({ module: "db", driver: config.kind }, "database opened");
  return handle;
}

async function openPostgres(config: Extract<DatabaseConfig, { kind: "postgres" }>): Promise<DatabaseHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");

  // Migrations print "already exists, skipping" notices on every start; they carry no information.
  const client = postgres(config.url, { max: config.poolSize, onnotice: () => {} });
  const db = drizzle(client, { schema }) as unknown as Database;

  const rows = async <T extends Record<string, unknown>>(statement: ReturnType<typeof sql>) =>
    (await db.execute(statement)) as unknown as T[];

  return {
    db,
    kind: "postgres",
    rows,
    migrate: () => migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER }),
    isReady: () => checkReady(rows),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(config: Extract<DatabaseConfig, { kind: "pglite" }>): Promise<DatabaseHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");

  let client: InstanceType<typeof PGlite>;
  if (config.dataDir === "memory") {
    client = new PGlite();
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    client = new PGlite(config.dataDir);
  }
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Database;

  const rows = async <T extends Record<string, unknown>>(statement: ReturnType<typeof sql>) =>
    ((await db.execute(statement)) as unknown as { rows: T[] }).rows;

  return {
    db,
    kind: "pglite",
    rows,
    migrate: () => migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER }),
    isReady: () => checkReady(rows),
    close: () => client.close(),
  };
}

async function checkReady(
  rows: <T extends Record<string, unknown>>(statement: ReturnType<typeof sql>) => Promise<T[]>,
): Promise<boolean> {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, "utf8")) as {
    entries: unknown[];
  };
  try {
    const [row] = await rows<{ applied: string | number | bigint }>(
      sql`select count(*) as applied from drizzle.__drizzle_migrations`,
    );
    return Number(row?.applied ?? 0) >= journal.entries.length;
  } catch {
    return false;
  }
}
