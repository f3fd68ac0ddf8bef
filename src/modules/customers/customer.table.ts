import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, primaryId, tenantId, updatedAt } from "../../db/columns.js";

/** A WeChat user known to a tenant, identified by openid under an appid. */
export const customers = pgTable(
  "customers",
  {
    id: primaryId(),
    tenantId: tenantId(),
    appid: text("appid").notNull(),
    openid: text("openid").notNull(),
    unionid: text("unionid"),
    /** Mainland mobile number in E.164 form (+86…), when known. */
    mobile: text("mobile"),
    nickname: text("nickname"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("customers_tenant_appid_openid_key").on(table.tenantId, table.appid, table.openid),
    index("customers_tenant_mobile_idx").on(table.tenantId, table.mobile),
    index("customers_tenant_unionid_idx").on(table.tenantId, table.unionid),
  ],
);

export type CustomerRow = typeof customers.$inferSelect;
