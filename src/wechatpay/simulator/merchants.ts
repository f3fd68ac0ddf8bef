import type { WechatPayMerchantConfig } from "../merchant-config.js";
import type { SimulatorContext } from "./context.js";
import { SimulatorUsageError } from "./errors.js";
import { randomAlphanumeric, randomDigits, randomHex } from "./ids.js";
import type { MerchantRecord, SigningMode } from "./store.js";

export interface CreateMerchantInput {
  mchid?: string;
  appids?: string[];
  signingMode?: SigningMode;
  smallRedPacket?: boolean;
  /** False models a merchant onboarded after cash red packets closed to new merchants (June 2026). */
  cashRedPacket?: boolean;
  /** Operating account balance in fen. */
  balance?: number;
  /** Red packets one user may receive per day; the merchant platform default is 10. */
  redPacketsPerUserPerDay?: number;
}

export type SimulatedMerchantConfig = WechatPayMerchantConfig & { appids: string[] };

/** Default balance: 10 000 CNY, enough for ordinary test payouts. */
const DEFAULT_BALANCE = 1_000_000;

/**
 * Opens a merchant account and returns its credentials as the merchant would download them: the API
 * certificate (apiclient_cert.pem) and key, the APIv3 and APIv2 keys, and WeChat Pay's platform
 * certificate or public key according to the signing mode.
 */
export async function createMerchant(
  context: SimulatorContext,
  urls: { apiBaseUrl: string; apiV2BaseUrl: string },
  input: CreateMerchantInput = {},
): Promise<SimulatedMerchantConfig> {
  const mchid = input.mchid ?? newMchid(context);
  if (!/^\d{6,32}$/.test(mchid)) throw new SimulatorUsageError(`mchid must be 6 to 32 digits, got ${JSON.stringify(mchid)}`);
  if (context.store.merchants.has(mchid)) throw new SimulatorUsageError(`merchant ${mchid} already exists`, 409);

  const appids = input.appids ?? [`wx${randomHex(8)}`];
  if (appids.length === 0 || appids.some((appid) => !/^[0-9A-Za-z_-]{1,32}$/.test(appid))) {
    throw new SimulatorUsageError("appids must be a non-empty list of AppIDs of at most 32 characters");
  }
  const balance = input.balance ?? DEFAULT_BALANCE;
  if (!Number.isSafeInteger(balance) || balance < 0) throw new SimulatorUsageError(`balance must be a non-negative integer number of fen, got ${balance}`);
  const signingMode = input.signingMode ?? "certificate";
  if (signingMode !== "certificate" && signingMode !== "publicKey") throw new SimulatorUsageError(`signingMode must be certificate or publicKey, got ${String(signingMode)}`);

  const certificate = await context.keys.authority.issue({
    subject: `CN=${mchid}, OU=Simulated merchant, O=WeChat Pay merchant system, L=Shenzhen, ST=Guangdong, C=CN`,
    usage: "client",
    validityDays: 5 * 365,
    notBefore: new Date(context.clock.transportNow() - 86_400_000),
  });
  // Another call may have taken the same mchid while the certificate was being issued.
  if (context.store.merchants.has(mchid)) throw new SimulatorUsageError(`merchant ${mchid} already exists`, 409);

  const merchant: MerchantRecord = {
    mchid,
    appids: [...appids],
    signingMode,
    smallRedPacket: input.smallRedPacket ?? false,
    cashRedPacket: input.cashRedPacket ?? true,
    balance,
    apiV3Key: randomAlphanumeric(32),
    apiV2Key: randomAlphanumeric(32),
    certificate,
    redPacketsPerUserPerDay: input.redPacketsPerUserPerDay ?? 10,
  };
  context.store.merchants.set(mchid, merchant);
  context.logger.info({ mchid, signingMode, appids: merchant.appids }, "merchant created");

  return merchantConfig(context, merchant, urls);
}

export function merchantConfig(
  context: SimulatorContext,
  merchant: MerchantRecord,
  urls: { apiBaseUrl: string; apiV2BaseUrl: string },
): SimulatedMerchantConfig {
  const config: SimulatedMerchantConfig = {
    mchid: merchant.mchid,
    apiV3Key: merchant.apiV3Key,
    apiV2Key: merchant.apiV2Key,
    merchantSerialNo: merchant.certificate.serialNo,
    merchantPrivateKeyPem: merchant.certificate.keyPair.privateKeyPem,
    merchantCertificatePem: merchant.certificate.certificatePem,
    apiBaseUrl: urls.apiBaseUrl,
    apiV2BaseUrl: urls.apiV2BaseUrl,
    tlsCaPem: context.keys.authority.certificate.certificatePem,
    appids: [...merchant.appids],
  };

  if (merchant.signingMode === "publicKey") {
    config.wechatPayPublicKeyId = context.keys.publicKeyId;
    config.wechatPayPublicKeyPem = context.keys.publicKey.publicKeyPem;
  } else {
    config.platformCertificatePems = [context.keys.platformCertificate.certificatePem];
  }
  return config;
}

function newMchid(context: SimulatorContext): string {
  let mchid: string;
  do mchid = `16${randomDigits(8)}`;
  while (context.store.merchants.has(mchid));
  return mchid;
}
