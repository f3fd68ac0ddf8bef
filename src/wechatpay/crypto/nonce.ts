import { randomInt } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Returns a random alphanumeric string; the official SDKs send 32 characters. */
export function generateNonce(length = 32): string {
  let nonce = "";
  for (let i = 0; i < length; i += 1) {
    nonce += ALPHABET[randomInt(ALPHABET.length)];
  }
  return nonce;
}
