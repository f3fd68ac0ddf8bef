import type { GraphQLClient } from "graphql-request";
import type { SimulatedMerchantConfig, CreateMerchantInput } from "../../src/wechatpay/simulator/index.js";
import { ConnectMerchantAccountDocument, type ConnectMerchantAccountInput } from "../generated/graphql.js";
import type { TestApp } from "./app.js";

export interface ConnectedMerchant {
  id: string;
  credentials: SimulatedMerchantConfig;
  appid: string;
}

/** Create a merchant in the app's built-in simulator and connect it through the API as an admin would. */
export async function connectSimulatedMerchant(
  test: TestApp,
  admin: GraphQLClient,
  options: { simulator?: CreateMerchantInput; input?: Partial<ConnectMerchantAccountInput> } = {},
): Promise<ConnectedMerchant> {
  const simulator = test.app.services.simulator!;
  const credentials = await simulator.createMerchant(options.simulator);
  const appid = credentials.appids[0]!;

  const { connectMerchantAccount } = await admin.request(ConnectMerchantAccountDocument, {
    input: merchantInput(credentials, options.input),
  });
  if (!connectMerchantAccount.merchantAccount) {
    throw new Error(`connect failed: ${JSON.stringify(connectMerchantAccount.userErrors)}`);
  }
  return { id: connectMerchantAccount.merchantAccount.id, credentials, appid };
}

export function merchantInput(
  credentials: SimulatedMerchantConfig,
  overrides: Partial<ConnectMerchantAccountInput> = {},
): ConnectMerchantAccountInput {
  return {
    name: `品牌商户 ${credentials.mchid}`,
    mchid: credentials.mchid,
    officialAccountAppid: credentials.appids[0]!,
    apiBaseUrl: credentials.apiBaseUrl,
    apiV2BaseUrl: credentials.apiV2BaseUrl ?? null,
    credentials: {
      apiV3Key: credentials.apiV3Key,
      apiV2Key: credentials.apiV2Key,
      merchantSerialNo: credentials.merchantSerialNo,
      merchantPrivateKeyPem: credentials.merchantPrivateKeyPem,
      merchantCertificatePem: credentials.merchantCertificatePem,
      wechatPayPublicKeyId: credentials.wechatPayPublicKeyId ?? null,
      wechatPayPublicKeyPem: credentials.wechatPayPublicKeyPem ?? null,
      platformCertificatePems: credentials.platformCertificatePems ?? null,
      tlsCaPem: credentials.tlsCaPem ?? null,
    },
    ...overrides,
  };
}
