import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/database.js";
import { keyLeases } from "./job.tables.js";

const localQueues = new Map<string, Promise<unknown>>();

/**
 * Run `work` while holding an exclusive lease on `key`, across every server instance sharing the
 * database. Callers in this process queue behind each other in memory first, so the database sees at
 * most one contender per key and process. A lease left by a crashed process expires after `ttlMs`.
 */
export async function withKeyLease<T>(db: Database, key: string, work: () => Promise<T>, ttlMs = 30_000): Promise<T> {
  const previous = localQueues.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => holdLease(db, key, work, ttlMs));
  localQueues.set(key, run);
  try {
    return await run;
  } finally {
    if (localQueues.get(key) === run) localQueues.delete(key);
  }
}

async function holdLease<T>(db: Database, key: string, work: () => Promise<T>, ttlMs: number): Promise<T> {
  const holder = randomUUID();
  let delayMs = 5;
  const deadline = Date.now() + ttlMs * 2;

  for (;;) {
    const acquired = await db
      .insert(keyLeases)
      .values({ key, holder, expiresAt: sql`now() + (${ttlMs} * interval '1 millisecond')` })
      .onConflictDoUpdate({
        target: keyLeases.key,
        set: { holder, expiresAt: sql`now() + (${ttlMs} * interval '1 millisecond')` },
        setWhere: sql`${keyLeases.expiresAt} < now()`,
      })
      .returning({ holder: keyLeases.holder });
    if (acquired[0]?.holder === holder) break;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the lease on ${key}`);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 200);
  }

  try {
    return await work();
  } finally {
    await db.delete(keyLeases).where(and(eq(keyLeases.key, key), eq(keyLeases.holder, holder)));
  }
}
