import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

import { WechatPayProgrammingError, WechatPayVerificationError } from "../errors.js";

const TAG_LENGTH = 16;

export interface AeadResource {
  /** Base64 of the encrypted bytes followed by the 16-byte GCM tag. */
  ciphertext: string;
  /** 12 ASCII characters, used as the IV as they are. */
  nonce: string;
  associated_data?: string;
}

function apiV3KeyBytes(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, "utf8");
  if (key.length !== 32) {
    throw new WechatPayProgrammingError(`the APIv3 key must be 32 bytes, got ${key.length}`);
  }
  return key;
}

/**
 * Decrypts an AEAD_AES_256_GCM resource with the APIv3 key. The tag is always checked (final() runs),
 * so tampered ciphertext, a wrong key, nonce or associated data throws a "bad-tag" error.
 */
export function decryptAeadAes256Gcm(apiV3Key: string, resource: AeadResource): string {
  const key = apiV3KeyBytes(apiV3Key);
  const sealed = Buffer.from(resource.ciphertext, "base64");
  if (sealed.length < TAG_LENGTH) {
    throw new WechatPayVerificationError("bad-tag", "ciphertext is shorter than the 16-byte GCM tag");
  }

  const encrypted = sealed.subarray(0, sealed.length - TAG_LENGTH);
  const tag = sealed.subarray(sealed.length - TAG_LENGTH);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(resource.nonce, "utf8"), {
      authTagLength: TAG_LENGTH,
    });
    decipher.setAAD(Buffer.from(resource.associated_data ?? "", "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(encrypted), decipher.final()]).toString("utf8");
  } catch {
    throw new WechatPayVerificationError(
      "bad-tag",
      "AEAD_AES_256_GCM authentication failed: wrong APIv3 key, nonce or associated data, or altered ciphertext",
    );
  }
}

/** Encrypts `plaintext` the way WeChat Pay encrypts notification resources; used by tests and simulators. */
export function encryptAeadAes256Gcm(
  apiV3Key: string,
  plaintext: string,
  associatedData = "",
  nonce = randomBytes(6).toString("hex"),
): Required<AeadResource> {
  const cipher = createCipheriv("aes-256-gcm", apiV3KeyBytes(apiV3Key), Buffer.from(nonce, "utf8"), {
    authTagLength: TAG_LENGTH,
  });
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const encrypted = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return { ciphertext: encrypted.toString("base64"), nonce, associated_data: associatedData };
}
