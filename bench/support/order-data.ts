import type postgres from "postgres";

/** Merchant account every generated product and order belongs to; no account row is needed to list orders. */
export const GENERATED_MERCHANT_ACCOUNT_ID = "00000000-0000-4000-8000-00000000beef";

const ROWS_PER_STATEMENT = 250_000;

/**
 * Generate products, customers, orders and voucher deductions server-side with generate_series. Order
 * i is for product i mod products and customer i mod customers, was created i seconds before `end`, and
 * two in three carry voucher deductions (one, or two when i is a multiple of 5). Ids derive from md5 of
 * the row number, so related rows find each other without lookups.
 */
export async function generateOrders(
  sql: postgres.Sql,
  input: {
    tenantId: string;
    orders: number;
    products: number;
    customers: number;
    end: Date;
    /** False leaves order_promotions empty, for exports, which do not read it. */
    promotions?: boolean;
    onProgress?: (rows: number) => void;
  },
): Promise<void> {
  const { tenantId } = input;
  await sql`
    insert into products (id, tenant_id, merchant_account_id, name, introduction, price, stock, status)
    select md5(${tenantId} || ':product:' || i)::uuid, ${tenantId}, ${GENERATED_MERCHANT_ACCOUNT_ID},
           '精选好物 ' || i, '限时特惠', 1990 + (i % 50) * 100, 100000, 'ON_SALE'
    from generate_series(0, ${input.products - 1}) as i`;
  await sql`
    insert into customers (id, tenant_id, appid, openid, mobile)
    select md5(${tenantId} || ':customer:' || i)::uuid, ${tenantId}, 'wxbench0000000001',
           'obench' || lpad(i::text, 10, '0'), '+86138' || lpad(i::text, 8, '0')
    from generate_series(0, ${input.customers - 1}) as i`;

  for (let start = 0; start < input.orders; start += ROWS_PER_STATEMENT) {
    const stop = Math.min(input.orders, start + ROWS_PER_STATEMENT) - 1;
    await sql`
      insert into orders (
        id, tenant_id, order_no, merchant_account_id, product_id, customer_id, appid, openid, request_id,
        product_name, quantity, unit_price, total_amount, status, stock_held, expires_at, time_expire,
        transaction_id, paid_at, payer_total, discount_amount, created_at, updated_at)
      select
        md5(${tenantId} || ':order:' || i)::uuid, ${tenantId}, 'BN' || lpad(i::text, 16, '0'),
        ${GENERATED_MERCHANT_ACCOUNT_ID}, md5(${tenantId} || ':product:' || (i % ${input.products}))::uuid,
        md5(${tenantId} || ':customer:' || (i % ${input.customers}))::uuid, 'wxbench0000000001',
        'obench' || lpad((i % ${input.customers})::text, 10, '0'), 'req' || i,
        '精选好物 ' || (i % ${input.products}), q, price, q * price, 'PAID', false,
        created + interval '15 minutes', to_char(created + interval '15 minutes', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'),
        '42000' || lpad(i::text, 23, '0'), created + interval '1 minute', q * price - discount, discount, created, created
      from (
        select i, 1 + i % 3 as q, 1990 + (i % ${input.products} % 50) * 100 as price,
               ${input.end}::timestamptz - i * interval '1 second' as created,
               case when i % 3 = 0 then 0 when i % 5 = 0 then 800 else 500 end as discount
        from generate_series(${start}::bigint, ${stop}::bigint) as i
      ) as generated`;
    if (input.promotions === false) {
      input.onProgress?.(stop + 1);
      continue;
    }
    await sql`
      insert into order_promotions (order_id, coupon_id, tenant_id, stock_id, name, scope, type, amount, merchant_contribute, wechatpay_contribute, other_contribute)
      select md5(${tenantId} || ':order:' || i)::uuid, 'cp' || i || '-' || k, ${tenantId}, '1650' || (k + 1),
             case k when 0 then '满20减5' else '新客立减3' end, 'GLOBAL', 'CASH',
             case k when 0 then 500 else 300 end, case k when 0 then 500 else 300 end, 0, 0
      from generate_series(${start}::bigint, ${stop}::bigint) as i
      cross join generate_series(0, 1) as k
      where i % 3 <> 0 and (k = 0 or i % 5 = 0)`;
    input.onProgress?.(stop + 1);
  }
  await sql`analyze products, customers, orders, order_promotions`;
}
