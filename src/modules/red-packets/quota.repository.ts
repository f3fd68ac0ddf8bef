import { and, eq, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { TenantScope } from "../../db/tenant-scope.js";
import { limitBrokenBy, type QuotaUsage } from "./quota.js";
import { redPacketDailyCounters, redPackets, type QuotaLimitKind, type RedPacketDailyCounterRow, type RedPacketRow } from "./red-packet.tables.js";
import { limitsOf, usageOf } from "./red-packet.type.js";

export type ReservationResult =
  | { ok: true; packet: RedPacketRow; daily: RedPacketDailyCounterRow; before: QuotaUsage; after: QuotaUsage }
  | { ok: false; reason: QuotaLimitKind | "RED_PACKET_DELETED" };

const packets = redPackets;
const days = redPacketDailyCounters;

/**
 * Take one grant of `amount` fen from all four limits, inside the caller's transaction. The total
 * limits are checked by a conditional UPDATE of the red packet row, and the daily ones by a conditional
 * upsert of the day's row. PostgreSQL re-checks each condition on the latest row version after waiting
 * for its lock, so concurrent reservations (from any number of connections or instances) never exceed
 * a limit. When a check fails the caller must roll back, which also undoes the total update.
 */
export async function reserveQuota(
  scope: TenantScope,
  input: { redPacketId: string; amount: number; day: string; now: Date },
): Promise<ReservationResult> {
  const { amount } = input;
  const [packet] = await scope.db
    .update(packets)
    .set({
      reservedCount: sql`${packets.reservedCount} + 1`,
      reservedAmount: sql`${packets.reservedAmount} + ${amount}`,
      sendingStartedAt: sql`coalesce(${packets.sendingStartedAt}, ${input.now.toISOString()}::timestamptz)`,
    })
    .where(
      scope.where(
        packets,
        eq(packets.id, input.redPacketId),
        eq(packets.status, "ACTIVE"),
        sql`(${packets.totalCountLimit} is null or ${packets.issuedCount} + ${packets.reservedCount} + 1 <= ${packets.totalCountLimit})`,
        sql`(${packets.totalAmountLimit} is null or ${packets.issuedAmount} + ${packets.reservedAmount} + ${amount} <= ${packets.totalAmountLimit})`,
      ),
    )
    .returning();
  if (!packet) return { ok: false, reason: await whyTotalsRejected(scope, input.redPacketId, amount) };

  // A first grant of the day inserts the row, so it must fit the daily limits on its own.
  if ((packet.dailyCountLimit !== null && packet.dailyCountLimit < 1) || (packet.dailyAmountLimit !== null && amount > packet.dailyAmountLimit)) {
    return { ok: false, reason: packet.dailyCountLimit !== null && packet.dailyCountLimit < 1 ? "DAILY_COUNT" : "DAILY_AMOUNT" };
  }

  const dailyConditions: SQL[] = [];
  if (packet.dailyCountLimit !== null) {
    dailyConditions.push(sql`${days.issuedCount} + ${days.reservedCount} + 1 <= ${packet.dailyCountLimit}`);
  }
  if (packet.dailyAmountLimit !== null) {
    dailyConditions.push(sql`${days.issuedAmount} + ${days.reservedAmount} + ${amount} <= ${packet.dailyAmountLimit}`);
  }

  const [daily] = await scope.db
    .insert(days)
    .values(scope.row({ redPacketId: packet.id, day: input.day, reservedCount: 1, reservedAmount: amount }))
    .onConflictDoUpdate({
      target: [days.redPacketId, days.day],
      set: { reservedCount: sql`${days.reservedCount} + 1`, reservedAmount: sql`${days.reservedAmount} + ${amount}` },
      ...(dailyConditions.length > 0 ? { setWhere: and(...dailyConditions) } : {}),
    })
    .returning();
  if (!daily) {
    const current = await findDay(scope, packet.id, input.day);
    const usage = usageOf({ ...packet, reservedCount: packet.reservedCount - 1, reservedAmount: packet.reservedAmount - amount }, current);
    return { ok: false, reason: limitBrokenBy(limitsOf(packet), usage, amount) ?? "DAILY_COUNT" };
  }

  const after = usageOf(packet, daily);
  const before = {
    totalCount: after.totalCount - 1,
    totalAmount: after.totalAmount - amount,
    dailyCount: after.dailyCount - 1,
    dailyAmount: after.dailyAmount - amount,
  };
  return { ok: true, packet, daily, before, after };
}

async function whyTotalsRejected(scope: TenantScope, redPacketId: string, amount: number): Promise<QuotaLimitKind | "RED_PACKET_DELETED"> {
  const [row] = await scope.db.select().from(packets).where(scope.where(packets, eq(packets.id, redPacketId)));
  if (!row || row.status === "DELETED") return "RED_PACKET_DELETED";
  return limitBrokenBy(limitsOf(row), usageOf(row, undefined), amount) ?? "TOTAL_COUNT";
}

async function findDay(scope: TenantScope, redPacketId: string, day: string): Promise<RedPacketDailyCounterRow | undefined> {
  const [row] = await scope.db.select().from(days).where(scope.where(days, eq(days.redPacketId, redPacketId), eq(days.day, day)));
  return row;
}

/** Change one red packet's counters and, when the grant took daily quota, its day's counters too. */
async function adjustCounters(
  scope: TenantScope,
  target: { redPacketId: string; quotaDay: string | null },
  totals: Partial<Record<"reserved" | "issued" | "claimed" | "refunded", number>> & { failed?: number },
  amount: number,
): Promise<void> {
  const step = (column: AnyPgColumn, by: number) => sql`${column} + ${by}`;
  const set: Record<string, SQL> = {};
  if (totals.reserved) {
    set.reservedCount = step(packets.reservedCount, totals.reserved);
    set.reservedAmount = step(packets.reservedAmount, totals.reserved * amount);
  }
  if (totals.issued) {
    set.issuedCount = step(packets.issuedCount, totals.issued);
    set.issuedAmount = step(packets.issuedAmount, totals.issued * amount);
  }
  if (totals.claimed) {
    set.claimedCount = step(packets.claimedCount, totals.claimed);
    set.claimedAmount = step(packets.claimedAmount, totals.claimed * amount);
  }
  if (totals.refunded) {
    set.refundedCount = step(packets.refundedCount, totals.refunded);
    set.refundedAmount = step(packets.refundedAmount, totals.refunded * amount);
  }
  if (totals.failed) set.failedCount = step(packets.failedCount, totals.failed);
  if (Object.keys(set).length > 0) {
    await scope.db.update(packets).set(set).where(scope.where(packets, eq(packets.id, target.redPacketId)));
  }

  if (target.quotaDay === null || (!totals.reserved && !totals.issued)) return;
  const daySet: Record<string, SQL> = {};
  if (totals.reserved) {
    daySet.reservedCount = sql`${days.reservedCount} + ${totals.reserved}`;
    daySet.reservedAmount = sql`${days.reservedAmount} + ${totals.reserved * amount}`;
  }
  if (totals.issued) {
    daySet.issuedCount = sql`${days.issuedCount} + ${totals.issued}`;
    daySet.issuedAmount = sql`${days.issuedAmount} + ${totals.issued * amount}`;
  }
  await scope.db
    .update(days)
    .set(daySet)
    .where(scope.where(days, eq(days.redPacketId, target.redPacketId), eq(days.day, target.quotaDay)));
}

type CounterTarget = { redPacketId: string; quotaDay: string | null; amount: number };

/** Count a reserved grant as paid: its quota stays taken and moves from in flight to issued. */
export function countIssued(scope: TenantScope, grant: CounterTarget): Promise<void> {
  return adjustCounters(scope, grant, { reserved: -1, issued: 1 }, grant.amount);
}

/** Release the quota of a reserved grant that failed for good. */
export function countReleased(scope: TenantScope, grant: CounterTarget): Promise<void> {
  return adjustCounters(scope, grant, { reserved: -1, failed: 1 }, grant.amount);
}

/** Count a grant that failed before taking quota (a limit, a deleted red packet); only the failure count grows. */
export function countRejected(scope: TenantScope, grant: CounterTarget): Promise<void> {
  return adjustCounters(scope, { ...grant, quotaDay: null }, { failed: 1 }, grant.amount);
}

export function countClaimed(scope: TenantScope, grant: CounterTarget): Promise<void> {
  return adjustCounters(scope, { ...grant, quotaDay: null }, { claimed: 1 }, grant.amount);
}

/** Refunded red packets keep their quota: the limits count what was issued, whatever happened to it later. */
export function countRefunded(scope: TenantScope, grant: CounterTarget): Promise<void> {
  return adjustCounters(scope, { ...grant, quotaDay: null }, { refunded: 1 }, grant.amount);
}
