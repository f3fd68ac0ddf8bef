import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/** The secret half of a merchant account's settings; never returned by the API or logged. */
export interface MerchantSecrets {
  apiV3Key: string;
  apiV2Key: string;
  merchantPrivateKeyPem: string;
  merchantCertificatePem: string;
  wechatPayPublicKeyPem?: string;
  platformCertificatePems?: string[];
  tlsCaPem?: string;
}

const FORMAT_VERSION = "v1";

/**
 * Seal secrets with AES-256-GCM under the server key. The output is "v1.<iv>.<tag>.<ciphertext>" in
 * base64url; the tenant and account ids are bound in as associated data, so a sealed value copied onto
 * another account fails to open.
 */
export function sealSecrets(key: Buffer, secrets: MerchantSecrets, boundTo: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(boundTo, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(secrets), "utf8"), cipher.final()]);
  return [FORMAT_VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function openSecrets(key: Buffer, sealed: string, boundTo: string): MerchantSecrets {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== FORMAT_VERSION || !iv || !tag || ciphertext === undefined) {
    throw new Error("sealed merchant credentials have an unknown format");
  }
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(boundTo, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]);
  return JSON.parse(plaintext.toString("utf8")) as MerchantSecrets;
}

/** First 16 hex characters of SHA-256: enough to tell two keys apart, useless for recovering one. */
export function fingerprint(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex").slice(0, 16);
}
