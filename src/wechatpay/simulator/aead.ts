import { createCipheriv, randomBytes } from "node:crypto";

/** An `AEAD_AES_256_GCM` resource as it appears in notifications and in `/v3/certificates`. */
export interface EncryptedResource {
  algorithm: "AEAD_AES_256_GCM";
  ciphertext: string;
  associated_data: string;
  nonce: string;
}

const NONCE_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/**
 * Encrypts with the merchant's APIv3 key (its 32 ASCII bytes), a 12-character ASCII nonce used as the
 * IV as is, and the associated data as AAD. The ciphertext is Base64 of the encrypted bytes followed by
 * the 16-byte tag.
 */
export function encryptResource(input: { apiV3Key: string; plaintext: string; associatedData: string }): EncryptedResource {
  const key = Buffer.from(input.apiV3Key, "utf8");
  if (key.length !== 32) throw new Error(`APIv3 key must be 32 bytes, got ${key.length}`);

  const nonce = Array.from(randomBytes(12), (byte) => NONCE_ALPHABET[byte % NONCE_ALPHABET.length]).join("");
  const cipher = createCipheriv("aes-256-gcm", key, Buffer.from(nonce, "utf8"));
  cipher.setAAD(Buffer.from(input.associatedData, "utf8"));
  const encrypted = Buffer.concat([cipher.update(input.plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);

  return {
    algorithm: "AEAD_AES_256_GCM",
    ciphertext: encrypted.toString("base64"),
    associated_data: input.associatedData,
    nonce,
  };
}
