/**
 * Read baseline: a node:http handler in its own process that serves the orders dashboard from one
 * hand-written SQL statement and builds the same JSON as the GraphQL response, with no GraphQL, auth,
 * tenancy layer or DataLoaders.
 */
import http from "node:http";
import postgres from "postgres";
import { toGlobalId } from "../../src/graphql/relay/global-id.js";
import { encodeCursor } from "../../src/graphql/relay/pagination.js";
import { childOptions, failStartup, serveParent } from "../support/child-process.js";
import { guardOutboundConnections } from "../support/loopback.js";
import { countStatements } from "../support/sql-counter.js";

export interface ReadServerOptions {
  databaseUrl: string;
  tenantId: string;
  /** Connections in the pool, as many as the app's. */
  poolSize: number;
}

interface PageRow {
  id: string;
  order_no: string;
  status: string;
  quantity: number;
  total_amount: string;
  payer_total: string | null;
  discount_amount: string;
  created_at: Date;
  paid_at: Date | null;
  product_id: string | null;
  product_name: string | null;
  product_price: string | null;
  customer_id: string | null;
  customer_openid: string | null;
  customer_mobile: string | null;
  promotions: { couponId: string; stockId: string | null; name: string | null; amount: number }[];
  total: string;
  has_next: boolean;
}

guardOutboundConnections();

try {
  const options = childOptions<ReadServerOptions>();
  const sql = postgres(options.databaseUrl, { max: options.poolSize, onnotice: () => {} });
  const statements = countStatements(sql);

  const loadPage = async (first: number) => {
    const rows = await sql<PageRow[]>`
      with page as (
        select * from orders where tenant_id = ${options.tenantId}
        order by created_at desc, id desc limit ${first + 1}
      )
      select page.id, page.order_no, page.status, page.quantity, page.total_amount, page.payer_total,
             page.discount_amount, page.created_at, page.paid_at,
             products.id as product_id, products.name as product_name, products.price as product_price,
             customers.id as customer_id, customers.openid as customer_openid, customers.mobile as customer_mobile,
             coalesce((
               select json_agg(json_build_object('couponId', p.coupon_id, 'stockId', p.stock_id, 'name', p.name, 'amount', p.amount)
                               order by p.coupon_id)
               from order_promotions p where p.tenant_id = ${options.tenantId} and p.order_id = page.id
             ), '[]'::json) as promotions,
             (select count(*) from orders where tenant_id = ${options.tenantId}) as total
      from page
      left join products on products.tenant_id = ${options.tenantId} and products.id = page.product_id
      left join customers on customers.tenant_id = ${options.tenantId} and customers.id = page.customer_id
      order by page.created_at desc, page.id desc`;

    const edges = rows.slice(0, first).map((row) => ({
      cursor: encodeCursor({ key: row.created_at.toISOString(), id: row.id }),
      node: {
        id: toGlobalId("Order", row.id),
        orderNo: row.order_no,
        status: row.status,
        quantity: row.quantity,
        totalAmount: Number(row.total_amount),
        payerTotal: row.payer_total === null ? null : Number(row.payer_total),
        discountAmount: Number(row.discount_amount),
        createdAt: row.created_at,
        paidAt: row.paid_at,
        product: row.product_id ? { id: toGlobalId("Product", row.product_id), name: row.product_name, price: Number(row.product_price) } : null,
        customer: row.customer_id ? { id: toGlobalId("Customer", row.customer_id), openid: row.customer_openid, mobile: row.customer_mobile } : null,
        promotions: row.promotions,
      },
    }));
    return {
      data: {
        orders: {
          totalCount: Number(rows[0]?.total ?? 0),
          pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
          edges,
        },
      },
    };
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const { first } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { first: number };
      loadPage(first).then(
        (body) => {
          const json = JSON.stringify(body);
          response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
          response.end(json);
        },
        (error: unknown) => {
          response.writeHead(500, { "content-type": "text/plain" });
          response.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };

  serveParent(
    { url: `http://127.0.0.1:${port}` },
    {
      "cpu.usage": () => process.cpuUsage(),
      "sql.reset": (keep: number) => statements.reset(keep),
      "sql.read": () => ({ count: statements.count(), statements: statements.statements() }),
    },
    async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sql.end({ timeout: 5 });
    },
  );
} catch (error) {
  failStartup(error);
}
