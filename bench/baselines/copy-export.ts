/**
 * Export baseline: PostgreSQL's COPY (SELECT …) TO STDOUT in CSV, streamed by postgres.js into a file,
 * in a process of its own so that its memory can be sampled like the server's. The SELECT produces the
 * same columns as the order export: global ids, times in the tenant's zone, the customer's mobile and
 * the campaign's name.
 */
import { createWriteStream } from "node:fs";
import { stat, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { childOptions, failStartup, serveParent } from "../support/child-process.js";
import { guardOutboundConnections } from "../support/loopback.js";
import { MemorySampler, type MemoryFigures } from "../support/memory.js";

export interface CopyExportOptions {
  databaseUrl: string;
  tenantId: string;
  timeZone: string;
}

export interface CopyExportResult {
  rows: number;
  bytes: number;
  seconds: number;
  idle: MemoryFigures;
  peak: MemoryFigures;
}

guardOutboundConnections();

try {
  const options = childOptions<CopyExportOptions>();
  const sql = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  const memory = new MemorySampler();

  const run = async (): Promise<CopyExportResult> => {
    const file = path.join(tmpdir(), `bench-copy-${process.pid}.csv`);
    const idle = memory.reset();
    const started = performance.now();
    let lines = 0;
    const countLines = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines++;
        done(null, chunk);
      },
    });

    // COPY takes no bind parameters, so the two values go into the text. Both come from the benchmark
    // and are checked to be plain identifiers first. Global ids are base64url of "Type:uuid", as
    // toGlobalId builds them, and at 44 bytes they stay below base64's 76-character line wrap.
    const literal = (value: string) => {
      if (!/^[\w/+-]+$/.test(value)) throw new Error(`unexpected characters in ${JSON.stringify(value)}`);
      return `'${value}'`;
    };
    const zone = literal(options.timeZone);
    const globalId = (type: string, column: string) =>
      `rtrim(translate(encode(convert_to('${type}:' || ${column}, 'UTF8'), 'base64'), '+/', '-_'), '=')`;
    const copy = await sql
      .unsafe(
        `copy (
          select o.order_no, ${globalId("Order", "o.id")}, o.status,
                 to_char(o.created_at at time zone ${zone}, 'YYYY-MM-DD HH24:MI:SS'),
                 to_char(o.paid_at at time zone ${zone}, 'YYYY-MM-DD HH24:MI:SS'),
                 o.product_name, ${globalId("Product", "o.product_id")}, o.quantity, o.unit_price, o.total_amount,
                 o.payer_total, o.discount_amount, o.refunded_amount, o.openid, c.mobile, k.name, o.page_id,
                 o.transaction_id, case when o.paid_after_expiry then 'Y' else 'N' end
          from orders o
          left join customers c on c.tenant_id = o.tenant_id and c.id = o.customer_id
          left join campaigns k on k.tenant_id = o.tenant_id and k.id = o.campaign_id
          where o.tenant_id = ${literal(options.tenantId)}
          order by o.created_at desc, o.id desc
        ) to stdout with (format csv, header)`,
      )
      .readable();
    await pipeline(copy, countLines, createWriteStream(file));

    const seconds = (performance.now() - started) / 1000;
    const { size } = await stat(file);
    await unlink(file);
    return { rows: lines - 1, bytes: size, seconds, idle, peak: memory.read().peak };
  };

  serveParent({}, { run }, () => sql.end({ timeout: 5 }));
} catch (error) {
  failStartup(error);
}
