import { randomBytes } from "node:crypto";
import postgres from "postgres";

/**
 * Where test databases live. CI and developers point TEST_DATABASE_URL at a PostgreSQL server; the
 * default is the local one with trust auth. TEST_DB=pglite runs the same tests on embedded PGlite.
 */
export const ADMIN_DATABASE_URL = process.env["TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function usesPglite(): boolean {
  return process.env["TEST_DB"] === "pglite";
}

export interface TestDatabase {
  /** DATABASE_URL for the app, or undefined for in-memory PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A database of its own for one test file, so files run in parallel without sharing rows. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (usesPglite()) return { url: undefined, drop: async () => {} };

  const name = `bff_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }

  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;

  return {
    url: url.toString(),
    async drop() {
      const dropper = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
