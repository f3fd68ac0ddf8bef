import { createWechatPayClient, type WechatPayClient, type WechatPayClientOptions } from "../../wechatpay/index.js";
import type { WechatPayMerchantConfig } from "../../wechatpay/merchant-config.js";
import type { Logger } from "../../logging/logger.js";
import { openSecrets } from "./credential-vault.js";
import type { MerchantAccountRow } from "./merchant-account.table.js";

/** Associated data that binds sealed credentials to one account of one tenant. */
export function credentialBinding(row: Pick<MerchantAccountRow, "tenantId" | "id">): string {
  return `${row.tenantId}/${row.id}`;
}

export function merchantConfigOf(row: MerchantAccountRow, secretsKey: Buffer): WechatPayMerchantConfig {
  const secrets = openSecrets(secretsKey, row.encryptedCredentials, credentialBinding(row));
  return {
    mchid: row.mchid,
    apiV3Key: secrets.apiV3Key,
    apiV2Key: secrets.apiV2Key,
    merchantSerialNo: row.merchantSerialNo,
    merchantPrivateKeyPem: secrets.merchantPrivateKeyPem,
    merchantCertificatePem: secrets.merchantCertificatePem,
    ...(row.wechatPayPublicKeyId ? { wechatPayPublicKeyId: row.wechatPayPublicKeyId } : {}),
    ...(secrets.wechatPayPublicKeyPem ? { wechatPayPublicKeyPem: secrets.wechatPayPublicKeyPem } : {}),
    ...(secrets.platformCertificatePems?.length ? { platformCertificatePems: secrets.platformCertificatePems } : {}),
    apiBaseUrl: row.apiBaseUrl,
    ...(row.apiV2BaseUrl ? { apiV2BaseUrl: row.apiV2BaseUrl } : {}),
    ...(secrets.tlsCaPem ? { tlsCaPem: secrets.tlsCaPem } : {}),
  };
}

/**
 * One WeChat Pay client per merchant account, reused across requests so that downloaded platform
 * certificates and per-merchant rate limits are shared. A client is rebuilt when the account row changes.
 */
export class WechatPayGateway {
  private readonly clients = new Map<string, { version: number; client: WechatPayClient }>();

  constructor(
    private readonly secretsKey: Buffer,
    private readonly logger: Logger,
    private readonly clientOptions: WechatPayClientOptions = {},
  ) {}

  clientFor(row: MerchantAccountRow): WechatPayClient {
    const version = row.updatedAt.getTime();
    const cached = this.clients.get(row.id);
    if (cached && cached.version === version) return cached.client;

    cached?.client.close();
    const client = createWechatPayClient(merchantConfigOf(row, this.secretsKey), {
      ...this.clientOptions,
      logger: this.logger.child({ module: "wechatpay", merchantAccountId: row.id, mchid: row.mchid }),
    });
    this.clients.set(row.id, { version, client });
    return client;
  }

  /** A throwaway client for checking settings that are not saved yet. */
  temporaryClient(config: WechatPayMerchantConfig): WechatPayClient {
    return createWechatPayClient(config, {
      ...this.clientOptions,
      retry: { maxAttempts: 1 },
      timeoutMs: 5_000,
      logger: this.logger.child({ module: "wechatpay", mchid: config.mchid }),
    });
  }

  close(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }
}
