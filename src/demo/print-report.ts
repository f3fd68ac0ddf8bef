import type { DemoReport } from "./run-demo.js";

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/** Format the demo's report as plain text: what was done, what the dashboard saw and what the analyst learned. */
export function formatReport(report: DemoReport, serverUrl: string): string {
  const lines: string[] = [];
  const add = (line = "") => lines.push(line);
  const outcomes = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([outcome, count]) => `${outcome} ${count}`)
      .join(", ") || "none";

  add("================ 演示报告 / Demo report ================");
  add(`活动 Campaign: ${report.campaignName} (${report.campaignId})`);
  add(`商户号 Merchant: ${report.mchid}, connection test ${report.connectionOk ? "passed" : "FAILED"}`);
  add();
  add("做了什么 / What was done");
  add(`  页面领券 Page claims: ${report.claims.issued} issued, ${report.claims.limited} not issued`);
  add(`  抽奖与表单红包 Lucky draw and form red packets: ${report.prizes.issued} paid (${yuan(report.prizes.amount)}), ${report.prizes.other} not paid`);
  add(`  工作流发券 Workflow vouchers: ${outcomes(report.workflowVouchers)}`);
  add(`  工作流红包 Workflow red packets (tight limits): ${outcomes(report.workflowRedPackets)}`);
  add(`  失败通知 Failure notices queued: ${report.failureNotices.count}${report.failureNotices.example ? ` ("${report.failureNotices.example}")` : ""}`);
  add(`  订单 Orders: ${report.orders.paid} paid, ${report.orders.withVoucher} with a voucher, customers paid ${yuan(report.orders.paidAmount)}`);
  add();
  add("看板实时计数 / Live counts seen by the dashboard");
  add(`  ${report.live.updates} updates; last: ${report.live.last ? JSON.stringify(report.live.last) : "none"}`);
  add();
  add("分析师的问题 / The analyst's answers");
  const stats = report.stats;
  add(`  触达客户 Customers reached: ${stats.customersReached}`);
  add(
    `  代金券 Vouchers: issued ${stats.vouchers.issuedCount}, collected ${stats.vouchers.collectedCount}, redeemed ${stats.vouchers.redeemedCount}` +
      ` (redemption rate ${stats.vouchers.redemptionRate === null ? "n/a" : `${(stats.vouchers.redemptionRate * 100).toFixed(1)}%`})`,
  );
  add(`  红包 Red packets: issued ${stats.redPackets.issuedCount} (${yuan(stats.redPackets.issuedAmount)}), failed ${stats.redPackets.failedCount}`);
  add(`  订单 Orders: ${stats.orders.count} created, ${stats.orders.paidCount} paid, ${yuan(stats.orders.paidAmount)}`);
  add(`  领了券但 30 天内未核销的客户 Customers with a voucher not redeemed in 30 days: ${report.unredeemedSegment}`);
  add("  每日事件 Events per day (Asia/Shanghai):");
  for (const row of report.eventsByDay) {
    add(`    ${row.day}  ${row.type.padEnd(18)} ${String(row.count).padStart(6)} events, ${String(row.distinctCustomers).padStart(6)} customers, ${yuan(row.sumAmount ?? 0)}`);
  }
  add();
  add("订单导出 / Order export");
  add(report.exportFile ? `  ${report.exportFile} (${report.exportRows} rows, sha256 ${report.exportSha256})` : "  none");
  add();
  add("继续探索 / Explore further");
  add(`  GraphQL: ${serverUrl}/graphql`);
  add(`  Tenant: ${report.tenantId}`);
  add(`  Marketer token: ${report.tokens.marketer}`);
  add(`  Analyst token:  ${report.tokens.analyst}`);
  add(`  Admin token:    ${report.tokens.admin}`);
  add(`  curl -s ${serverUrl}/graphql -H "content-type: application/json" -H "authorization: Bearer <token>" \\`);
  add(`    -d '{"query":"{ campaigns { edges { node { id name stats { vouchers { issuedCount } } } } } }"}'`);
  return lines.join("\n");
}
