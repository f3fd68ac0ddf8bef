import { createVerify } from "node:crypto";

import type { WechatPayMerchantConfig } from "../../../../src/wechatpay/index.js";
import { createTestCertificate, type TestCertificate } from "./keys.js";
import type { RecordedRequest } from "./fake-wechatpay.js";

export const TEST_MCHID = "1900009191";
export const TEST_API_V3_KEY = "0123456789abcdefghijklmnopqrstuv";
export const TEST_API_V2_KEY = "v2key0123456789abcdefghijklmnopq";

export interface TestMerchant {
  merchant: TestCertificate;
  platform: TestCertificate;
}

/** Generates a merchant API certificate and one platform certificate. */
export async function createTestMerchant(): Promise<TestMerchant> {
  const [merchant, platform] = await Promise.all([
    createTestCertificate({ serial: "1dde55ad98ed71d6edd4a4a16996de7b47773a8c", commonName: TEST_MCHID }),
    createTestCertificate({ serial: "5157f09efdc096de15ebe81a47057a7212345678", commonName: "Tenpay.com Root CA test" }),
  ]);
  return { merchant, platform };
}

export function merchantConfig(
  keys: TestMerchant,
  apiBaseUrl: string,
  overrides: Partial<WechatPayMerchantConfig> = {},
): WechatPayMerchantConfig {
  return {
    mchid: TEST_MCHID,
    apiV3Key: TEST_API_V3_KEY,
    apiV2Key: TEST_API_V2_KEY,
    merchantSerialNo: keys.merchant.serial,
    merchantPrivateKeyPem: keys.merchant.privateKeyPem,
    merchantCertificatePem: keys.merchant.certificatePem,
    platformCertificatePems: [keys.platform.certificatePem],
    apiBaseUrl,
    ...overrides,
  };
}

/** Parses an APIv3 Authorization header into its parameters. */
export function parseAuthorization(header: string | undefined): Record<string, string> {
  const match = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(header ?? "");
  if (match === null) throw new Error(`not a WECHATPAY2-SHA256-RSA2048 header: ${header}`);
  return Object.fromEntries([...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

/** Checks a recorded request's signature the way WeChat Pay does: over method, path, timestamp, nonce and body bytes. */
export function requestSignatureIsValid(request: RecordedRequest, keys: TestMerchant): boolean {
  const auth = parseAuthorization(request.headers.authorization);
  const message = Buffer.concat([
    Buffer.from(`${request.method}\n${request.url}\n${auth.timestamp}\n${auth.nonce_str}\n`, "utf8"),
    request.body,
    Buffer.from("\n", "utf8"),
  ]);
  const verifier = createVerify("RSA-SHA256");
  verifier.update(message);
  return auth.serial_no === keys.merchant.serial && verifier.verify(keys.merchant.publicKey, auth.signature!, "base64");
}
