import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { assertLoopbackUrl } from "./loopback.js";

/** Server the benchmark creates its databases on; it must allow CREATE DATABASE. */
export const ADMIN_DATABASE_URL = process.env["TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  name: string;
  url: string;
  /** A connection for seeding and checks; closed by drop(). */
  sql: postgres.Sql;
  drop(): Promise<void>;
}

const open = new Set<BenchDatabase>();

/** Create an empty database for one scenario. Migrations run when the app starts on it. */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  assertLoopbackUrl(ADMIN_DATABASE_URL, "TEST_DATABASE_URL");
  const name = `bench_${label}_${process.pid}_${randomBytes(3).toString("hex")}`;
  await withAdmin((admin) => admin.unsafe(`create database ${name}`));

  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 2, onnotice: () => {} });

  let dropped = false;
  const database: BenchDatabase = {
    name,
    url: url.toString(),
    sql,
    async drop() {
      if (dropped) return;
      dropped = true;
      open.delete(database);
      await sql.end({ timeout: 5 });
      await withAdmin((admin) => admin.unsafe(`drop database if exists ${name} with (force)`));
    },
  };
  open.add(database);
  return database;
}

/** Drop every database this process created and has not dropped yet, as on Ctrl-C. */
export async function dropOpenDatabases(): Promise<void> {
  await Promise.allSettled([...open].map((database) => database.drop()));
}

async function withAdmin(work: (admin: postgres.Sql) => Promise<unknown>): Promise<void> {
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await work(admin);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** The server's version string, such as "PostgreSQL 15.20". */
export async function serverVersion(): Promise<string> {
  assertLoopbackUrl(ADMIN_DATABASE_URL, "TEST_DATABASE_URL");
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin<{ version: string }[]>`select version() as version`;
    return /^PostgreSQL [\d.]+/.exec(row!.version)?.[0] ?? row!.version;
  } finally {
    await admin.end({ timeout: 5 });
  }
}
