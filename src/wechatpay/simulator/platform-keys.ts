import type { KeyObject } from "node:crypto";
import { createCertificateAuthority, generateRsaKeyPair, type CertificateAuthority, type IssuedCertificate, type RsaKeyPair } from "./pki.js";
import { randomDigits } from "./ids.js";
import type { MerchantRecord } from "./store.js";

/** Keys WeChat Pay holds: its CA, the platform certificate, the public key, and the API's TLS certificate. */
export interface PlatformKeys {
  authority: CertificateAuthority;
  platformCertificate: IssuedCertificate;
  publicKeyId: string;
  publicKey: RsaKeyPair;
  tlsServer: IssuedCertificate;
  /** Key that signs forged responses. WeChat Pay never published it. */
  forgery: RsaKeyPair;
}

export async function createPlatformKeys(nowMs: number): Promise<PlatformKeys> {
  // Back-date by a day so that a client with a slightly slow clock still accepts the certificates.
  const notBefore = new Date(nowMs - 86_400_000);
  const authority = await createCertificateAuthority({
    subject: "CN=WeChat Pay Simulator Root CA, O=WeChat Pay Simulator, C=CN",
    notBefore,
  });

  const [platformCertificate, tlsServer, publicKey, forgery] = await Promise.all([
    authority.issue({
      subject: "CN=Tenpay.com Simulator Platform Certificate, O=WeChat Pay Simulator, C=CN",
      usage: "signing",
      validityDays: 5 * 365,
      notBefore,
    }),
    authority.issue({
      subject: "CN=127.0.0.1, O=WeChat Pay Simulator, C=CN",
      usage: "server",
      ipAddresses: ["127.0.0.1", "::1"],
      dnsNames: ["localhost"],
      validityDays: 825,
      notBefore,
    }),
    generateRsaKeyPair(),
    generateRsaKeyPair(),
  ]);

  return {
    authority,
    platformCertificate,
    publicKeyId: `PUB_KEY_ID_01${randomDigits(30)}`,
    publicKey,
    tlsServer,
    forgery,
  };
}

export interface ResponseSigningKey {
  serial: string;
  privateKey: KeyObject;
}

/**
 * Picks the key that signs an APIv3 response. Public-key merchants always get the public key. Certificate
 * merchants get the platform certificate unless the request's `Wechatpay-Serial` names the public key
 * id, which is how a merchant switches responses over during the migration.
 */
export function selectResponseKey(
  keys: PlatformKeys,
  merchant: MerchantRecord | undefined,
  requestSerial: string | undefined,
): ResponseSigningKey {
  const usePublicKey = merchant?.signingMode === "publicKey" || requestSerial === keys.publicKeyId;
  if (usePublicKey) return { serial: keys.publicKeyId, privateKey: keys.publicKey.privateKey };
  return { serial: keys.platformCertificate.serialNo, privateKey: keys.platformCertificate.keyPair.privateKey };
}

/** Notifications follow the merchant's mode; there is no request header to steer them. */
export function selectNotificationKey(keys: PlatformKeys, merchant: MerchantRecord): ResponseSigningKey {
  return selectResponseKey(keys, merchant, undefined);
}
