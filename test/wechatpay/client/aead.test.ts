import { describe, expect, it } from "vitest";

import {
  WechatPayProgrammingError,
  WechatPayVerificationError,
  decryptAeadAes256Gcm,
  encryptAeadAes256Gcm,
} from "../../../src/wechatpay/index.js";

const KEY = "0123456789abcdefghijklmnopqrstuv";

function expectBadTag(action: () => unknown): void {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(WechatPayVerificationError);
    expect((error as WechatPayVerificationError).reason).toBe("bad-tag");
    return;
  }
  throw new Error("decryption was expected to fail");
}

describe("AEAD_AES_256_GCM", () => {
  it("round-trips with associated data", () => {
    const sealed = encryptAeadAes256Gcm(KEY, '{"trade_state":"SUCCESS","中":"文"}', "transaction", "abcdefghijkl");
    expect(sealed.nonce).toBe("abcdefghijkl");
    expect(decryptAeadAes256Gcm(KEY, sealed)).toBe('{"trade_state":"SUCCESS","中":"文"}');
  });

  it("treats missing associated data as empty", () => {
    const sealed = encryptAeadAes256Gcm(KEY, "plain", "");
    expect(decryptAeadAes256Gcm(KEY, { ciphertext: sealed.ciphertext, nonce: sealed.nonce })).toBe("plain");
  });

  it("rejects a flipped tag byte", () => {
    const sealed = encryptAeadAes256Gcm(KEY, "plain", "transaction");
    const bytes = Buffer.from(sealed.ciphertext, "base64");
    bytes[bytes.length - 1]! ^= 0x01;
    expectBadTag(() => decryptAeadAes256Gcm(KEY, { ...sealed, ciphertext: bytes.toString("base64") }));
  });

  it("rejects a flipped ciphertext byte", () => {
    const sealed = encryptAeadAes256Gcm(KEY, "plain text", "transaction");
    const bytes = Buffer.from(sealed.ciphertext, "base64");
    bytes[0]! ^= 0x01;
    expectBadTag(() => decryptAeadAes256Gcm(KEY, { ...sealed, ciphertext: bytes.toString("base64") }));
  });

  it("rejects wrong associated data, nonce or key", () => {
    const sealed = encryptAeadAes256Gcm(KEY, "plain", "transaction");
    expectBadTag(() => decryptAeadAes256Gcm(KEY, { ...sealed, associated_data: "refund" }));
    expectBadTag(() => decryptAeadAes256Gcm(KEY, { ...sealed, nonce: "zzzzzzzzzzzz" }));
    expectBadTag(() => decryptAeadAes256Gcm("vutsrqponmlkjihgfedcba9876543210", sealed));
  });

  it("rejects ciphertext shorter than the tag", () => {
    expectBadTag(() => decryptAeadAes256Gcm(KEY, { ciphertext: Buffer.alloc(8).toString("base64"), nonce: "abcdefghijkl" }));
  });

  it("requires a 32-byte key", () => {
    expect(() => decryptAeadAes256Gcm("short", { ciphertext: "", nonce: "abcdefghijkl" })).toThrow(WechatPayProgrammingError);
  });
});
