import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, primaryId, tenantId, updatedAt } from "../../db/columns.js";

export const merchantAccountStatuses = ["ENABLED", "DISABLED"] as const;
export type MerchantAccountStatus = (typeof merchantAccountStatuses)[number];

export const payoutChannels = ["CASH_RED_PACKET", "MERCHANT_TRANSFER"] as const;
export type PayoutChannel = (typeof payoutChannels)[number];

/**
 * A brand's WeChat Pay merchant account. Secrets (APIv3 and APIv2 keys, the merchant private key) live
 * only in `encryptedCredentials`, sealed with the server's SECRETS_KEY; the other columns are what the
 * API may show: ids, serials, fingerprints and expiry dates.
 */
export const merchantAccounts = pgTable(
  "merchant_accounts",
  {
    id: primaryId(),
    tenantId: tenantId(),
    name: text("name").notNull(),
    mchid: text("mchid").notNull(),
    /** Official-account appid; vouchers, red packets and JSAPI payments go to openids under it. */
    officialAccountAppid: text("official_account_appid").notNull(),
    miniProgramAppid: text("mini_program_appid"),
    apiBaseUrl: text("api_base_url").notNull(),
    apiV2BaseUrl: text("api_v2_base_url"),
    status: text("status", { enum: merchantAccountStatuses }).notNull().default("ENABLED"),

    /** AES-256-GCM sealed JSON of the secret credentials; see credential-vault.ts. */
    encryptedCredentials: text("encrypted_credentials").notNull(),
    merchantSerialNo: text("merchant_serial_no").notNull(),
    merchantCertificateExpiresAt: timestamp("merchant_certificate_expires_at", { withTimezone: true }),
    /** SHA-256 fingerprints (first 16 hex characters) that let an admin recognise a key without seeing it. */
    apiV3KeyFingerprint: text("api_v3_key_fingerprint").notNull(),
    apiV2KeyFingerprint: text("api_v2_key_fingerprint").notNull(),
    privateKeyFingerprint: text("private_key_fingerprint").notNull(),
    wechatPayPublicKeyId: text("wechatpay_public_key_id"),
    /** Serials and expiry of platform certificates given at connection time. */
    platformCertificates: jsonb("platform_certificates").$type<{ serialNo: string; expiresAt: string }[]>().notNull().default([]),

    /** WeChat Pay grants red packets below 1 yuan separately. */
    smallRedPacketEnabled: boolean("small_red_packet_enabled").notNull().default(false),
    /** Cash red packets closed to new merchants in June 2026; those pay out by merchant transfer. */
    payoutChannel: text("payout_channel", { enum: payoutChannels }).notNull().default("CASH_RED_PACKET"),
    /** Merchant-transfer scene (转账场景) configured for marketing payouts, such as 1000 (现金营销). */
    transferSceneId: text("transfer_scene_id"),

    lastConnectionTestAt: timestamp("last_connection_test_at", { withTimezone: true }),
    lastConnectionTestOk: boolean("last_connection_test_ok"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("merchant_accounts_tenant_mchid_key").on(table.tenantId, table.mchid),
    index("merchant_accounts_tenant_created_idx").on(table.tenantId, table.createdAt),
  ],
);

export type MerchantAccountRow = typeof merchantAccounts.$inferSelect;
