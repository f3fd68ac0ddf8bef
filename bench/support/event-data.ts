import type postgres from "postgres";

/** Campaigns the generated events are spread over; the measured campaign contains one share of them. */
export const EVENT_CAMPAIGNS = 10;
/** Distinct customers the events are spread over. */
export const EVENT_CUSTOMERS = 100_000;
/** Days before `end` that the events cover. */
export const EVENT_DAYS = 90;

/** Rows per INSERT statement, so progress shows and no single statement keeps everything in memory. */
const ROWS_PER_STATEMENT = 1_000_000;

/**
 * Append customer events numbered `from` to `to - 1` with one server-side INSERT … SELECT over
 * generate_series per million rows. Event i belongs to campaign i mod 10 and to customer i mod 100,000,
 * and occurs at a pseudo-random time in the 90 days before `end`, so every size has the same shape.
 */
export async function generateEvents(
  sql: postgres.Sql,
  input: { tenantId: string; campaignIds: string[]; from: number; to: number; end: Date; onProgress?: (rows: number) => void },
): Promise<void> {
  const indexes = await withoutSecondaryIndexes(sql);
  for (let start = input.from; start < input.to; start += ROWS_PER_STATEMENT) {
    const stop = Math.min(input.to, start + ROWS_PER_STATEMENT);
    await sql`
      insert into customer_events
        (id, tenant_id, event_key, type, occurred_at, source, customer_id, openid, campaign_id, amount, attributes)
      select
        gen_random_uuid(),
        ${input.tenantId},
        'bench:' || i,
        (array['VOUCHER_ISSUED', 'VOUCHER_COLLECTED', 'VOUCHER_REDEEMED', 'RED_PACKET_ISSUED', 'ORDER_PAID'])[1 + i % 5],
        ${input.end}::timestamptz - (${EVENT_DAYS} * interval '1 day') * ((hashint8(i) & 2147483647)::float8 / 2147483648),
        'WORKFLOW',
        md5('customer:' || (i % ${EVENT_CUSTOMERS}))::uuid,
        'o' || (i % ${EVENT_CUSTOMERS}),
        (${input.campaignIds}::uuid[])[1 + i % ${input.campaignIds.length}],
        100 + i % 1000,
        '{}'::jsonb
      from generate_series(${start}::bigint, ${stop - 1}::bigint) as i`;
    input.onProgress?.(stop);
  }

  await restoreIndexes(sql, indexes);

  // Autovacuum would get there too; running it now gives every measurement the same planner statistics
  // and visibility map, whatever autovacuum happened to do so far.
  await sql`vacuum analyze customer_events`;
}

/**
 * Drop the indexes of customer_events other than its primary key and return their definitions. Building
 * an index once over all rows is many times faster than updating five of them row by row. The rebuilt
 * indexes have the same definitions and are only packed tighter, as after a REINDEX.
 */
async function withoutSecondaryIndexes(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ name: string; definition: string }[]>`
    select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as definition
    from pg_index
    where indrelid = 'customer_events'::regclass and not indisprimary`;
  for (const row of rows) await sql.unsafe(`drop index ${row.name}`);
  return rows.map((row) => row.definition);
}

async function restoreIndexes(sql: postgres.Sql, definitions: string[]): Promise<void> {
  await sql.begin(async (tx) => {
    await tx.unsafe("set local maintenance_work_mem = '512MB'");
    for (const definition of definitions) await tx.unsafe(definition);
  });
}
