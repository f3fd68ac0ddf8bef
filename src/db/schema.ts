// Every table of the application, for drizzle-kit and for the typed query builder.
export * from "../modules/campaigns/campaign.table.js";
export * from "../modules/tenants/tenant.table.js";
export * from "../modules/customers/customer.table.js";
export * from "../modules/merchants/merchant-account.table.js";
export * from "../modules/vouchers/voucher.tables.js";
export * from "../modules/events/customer-event.table.js";
export * from "../modules/jobs/job.tables.js";
export * from "../modules/products/product.table.js";
export * from "../modules/orders/order.tables.js";
export * from "../modules/red-packets/red-packet.tables.js";
export * from "../modules/notices/failure-notice.table.js";
export * from "../modules/notices/notice-channel.table.js";
