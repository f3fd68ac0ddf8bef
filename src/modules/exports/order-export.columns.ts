import type { Locale } from "../../i18n/locale.js";
import { toGlobalId } from "../../graphql/relay/global-id.js";
import type { CampaignRow } from "../campaigns/campaign.table.js";
import type { CustomerRow } from "../customers/customer.table.js";
import type { OrderRow } from "../orders/order.tables.js";

export type Cell = string | number | null;

interface Column {
  en: string;
  zhCN: string;
  value: (row: OrderRow, related: RelatedRows, formatTime: (date: Date | null) => string | null) => Cell;
}

/** Rows an export batch reads once for all of its orders. */
export interface RelatedRows {
  customers: Map<string, CustomerRow>;
  campaigns: Map<string, CampaignRow>;
}

/** Columns of an order export, in file order. Amounts are whole fen, as everywhere in the API. */
const columns: Column[] = [
  { en: "Order number", zhCN: "订单号", value: (row) => row.orderNo },
  { en: "Order id", zhCN: "订单 ID", value: (row) => toGlobalId("Order", row.id) },
  { en: "Status", zhCN: "状态", value: (row) => row.status },
  { en: "Created at", zhCN: "下单时间", value: (row, _related, formatTime) => formatTime(row.createdAt) },
  { en: "Paid at", zhCN: "支付时间", value: (row, _related, formatTime) => formatTime(row.paidAt) },
  { en: "Product", zhCN: "商品", value: (row) => row.productName },
  { en: "Product id", zhCN: "商品 ID", value: (row) => toGlobalId("Product", row.productId) },
  { en: "Quantity", zhCN: "数量", value: (row) => row.quantity },
  { en: "Unit price (fen)", zhCN: "单价（分）", value: (row) => row.unitPrice },
  { en: "Total (fen)", zhCN: "订单金额（分）", value: (row) => row.totalAmount },
  { en: "Paid by customer (fen)", zhCN: "实付金额（分）", value: (row) => row.payerTotal },
  { en: "Vouchers (fen)", zhCN: "优惠金额（分）", value: (row) => row.discountAmount },
  { en: "Refunded (fen)", zhCN: "已退款（分）", value: (row) => row.refundedAmount },
  { en: "Customer openid", zhCN: "客户 openid", value: (row) => row.openid },
  { en: "Customer mobile", zhCN: "客户手机号", value: (row, related) => related.customers.get(row.customerId)?.mobile ?? null },
  { en: "Campaign", zhCN: "营销活动", value: (row, related) => (row.campaignId ? (related.campaigns.get(row.campaignId)?.name ?? null) : null) },
  { en: "Page id", zhCN: "页面 ID", value: (row) => row.pageId },
  { en: "WeChat Pay transaction id", zhCN: "微信支付单号", value: (row) => row.transactionId },
  { en: "Paid after expiry", zhCN: "超时后支付", value: (row) => (row.paidAfterExpiry ? "Y" : "N") },
];

export function exportHeader(locale: Locale, timeZone: string): string[] {
  return columns.map((column) => {
    const label = locale === "zh-CN" ? column.zhCN : column.en;
    return column.en.endsWith(" at") ? `${label} (${timeZone})` : label;
  });
}

export function exportCells(row: OrderRow, related: RelatedRows, formatTime: (date: Date | null) => string | null): Cell[] {
  return columns.map((column) => column.value(row, related, formatTime));
}

/** Formats times as yyyy-MM-dd HH:mm:ss in the tenant's time zone, which spreadsheets read as dates. */
export function timeFormatter(timeZone: string): (date: Date | null) => string | null {
  const format = new Intl.DateTimeFormat("sv-SE", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });
  return (date) => (date ? format.format(date) : null);
}
