import type { AppServices } from "../../app/services.js";
import { TenantScope } from "../../db/tenant-scope.js";
import { withKeyLease } from "../jobs/key-lease.js";
import { findMerchantAccountById } from "../merchants/merchant-account.repository.js";
import { releaseStock } from "../products/product.repository.js";
import { findDueOrders, findOrderById, findShortfallOrdersWithoutRefund, lockOrderById, updateOrderRow } from "./order.repository.js";
import { applyPaidTransaction } from "./payment-settlement.js";
import { findStaleRefunds } from "./refund.repository.js";
import { refreshRefund, resubmitRefund, startAutomaticRefund } from "./refund.service.js";

/** Time between two sweeps. */
export const SWEEP_INTERVAL_MS = 30_000;
/** Rows read per query; a sweep repeats the query while it comes back full, up to MAX_ROUNDS times. */
const BATCH_SIZE = 100;
const MAX_ROUNDS = 20;
/** A refund left SUBMITTING this long had an unknown outcome and is sent again. */
const RESUBMIT_AFTER_MS = 60_000;
/** A refund PROCESSING this long is queried, in case its notification was lost. */
const REFRESH_AFTER_MS = 10 * 60_000;

export interface SweepReport {
  expired: number;
  refundsResubmitted: number;
  refundsRefreshed: number;
  automaticRefunds: number;
}

/**
 * Run one pass of order maintenance over every tenant. It expires unpaid orders whose time is up
 * (closing them at WeChat Pay and releasing their stock) and resubmits refunds whose outcome is unknown.
 * It also queries refunds that stay PROCESSING and starts the refunds of late payments that found no
 * stock. A key lease lets only one server instance sweep at a time.
 */
export async function sweepOrders(services: AppServices): Promise<SweepReport> {
  return withKeyLease(
    services.db,
    "orders:sweep",
    async () => {
      const report: SweepReport = { expired: 0, refundsResubmitted: 0, refundsRefreshed: 0, automaticRefunds: 0 };
      const now = services.now();

      await inRounds(services, "expire", () => findDueOrders(services.db, now, BATCH_SIZE), async (order) => {
        if (await expireOrder(services, order.tenantId, order.id)) report.expired += 1;
      });
      await inRounds(services, "resubmit-refund", () => findStaleRefunds(services.db, "SUBMITTING", new Date(now.getTime() - RESUBMIT_AFTER_MS), BATCH_SIZE), async (refund) => {
        await resubmitRefund(services, refund.tenantId, refund.id);
        report.refundsResubmitted += 1;
      });
      await inRounds(services, "refresh-refund", () => findStaleRefunds(services.db, "PROCESSING", new Date(now.getTime() - REFRESH_AFTER_MS), BATCH_SIZE), async (refund) => {
        await refreshRefund(services, refund.tenantId, refund.id);
        report.refundsRefreshed += 1;
      });
      await inRounds(services, "automatic-refund", () => findShortfallOrdersWithoutRefund(services.db, BATCH_SIZE), async (order) => {
        const scope = new TenantScope(order.tenantId, services.db);
        const row = (await findOrderById(scope, order.id))!;
        const account = (await findMerchantAccountById(scope, row.merchantAccountId))!;
        await startAutomaticRefund(services, account, row);
        report.automaticRefunds += 1;
      });
      return report;
    },
    5 * 60_000,
  );
}

/**
 * Run `handle` over each batch `load` returns, one row at a time, while batches come back full and
 * hold rows not handled yet in this sweep. A row whose handling throws is logged and left for the next
 * sweep, so one broken merchant account does not stop the others.
 */
async function inRounds<TRow extends { id: string; tenantId: string }>(
  services: AppServices,
  task: string,
  load: () => Promise<TRow[]>,
  handle: (row: TRow) => Promise<void>,
): Promise<void> {
  const handled = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const rows = await load();
    const fresh = rows.filter((row) => !handled.has(row.id));
    for (const row of fresh) {
      handled.add(row.id);
      try {
        await handle(row);
      } catch (error) {
        services.logger.error({ module: "orders", task, tenantId: row.tenantId, id: row.id, err: error }, "order sweep step failed; retrying next sweep");
      }
    }
    if (rows.length < BATCH_SIZE || fresh.length === 0) return;
  }
}

/**
 * Expire one unpaid order and return true when it was expired. The order is closed at WeChat Pay
 * first, so no payment can start after the stock is released. When closing fails for a reason other
 * than ORDERPAID, the order is expired anyway, because WeChat Pay stops taking payment at time_expire,
 * the same instant. A payment that still arrives (clocks differ) is applied as paid after expiry.
 */
export async function expireOrder(services: AppServices, tenantId: string, orderId: string): Promise<boolean> {
  const scope = new TenantScope(tenantId, services.db);
  const order = await findOrderById(scope, orderId);
  if (order?.status !== "PENDING") return false;
  const logger = services.logger.child({ module: "orders", tenantId, orderId, orderNo: order.orderNo });

  const account = (await findMerchantAccountById(scope, order.merchantAccountId))!;
  const client = services.wechatPay.clientFor(account);
  const closed = await client.closeOrder(order.orderNo);
  if (!closed.ok && closed.code === "ORDERPAID") {
    const query = await client.queryOrderByOutTradeNo(order.orderNo);
    if (query.ok && (query.value.trade_state === "SUCCESS" || query.value.trade_state === "REFUND")) {
      await applyPaidTransaction(services, account, query.value);
    } else {
      logger.warn({ code: query.ok ? query.value.trade_state : query.code }, "order is paid at WeChat Pay but the payment could not be read; retrying next sweep");
    }
    return false;
  }
  if (!closed.ok && closed.code !== "ORDER_NOT_EXIST") {
    logger.warn({ code: closed.code, outcome: closed.outcome }, "closing the order at WeChat Pay failed; expiring it locally, time_expire closes it there");
  }

  const expired = await scope.transaction(async (tx) => {
    const locked = (await lockOrderById(tx, orderId))!;
    if (locked.status !== "PENDING") return false;
    if (locked.stockHeld) await releaseStock(tx, locked.productId, locked.quantity);
    await updateOrderRow(tx, locked.id, { status: "EXPIRED", stockHeld: false, closedAt: services.now() });
    return true;
  });
  if (expired) logger.info({ quantity: order.quantity }, "unpaid order expired; stock released");
  return expired;
}
