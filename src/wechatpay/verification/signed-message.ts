import type { KeyObject } from "node:crypto";

import { WechatPayVerificationError } from "../errors.js";
import {
  V3_SIGNATURE_SCHEME,
  buildResponseSignatureMessage,
  verifySha256WithRsa,
} from "../crypto/rsa-signature.js";
import { readHeader, type HeaderSource } from "./headers.js";

/** WeChat Pay sends deliberately invalid signatures with this prefix to check that merchants verify. */
export const PROBE_SIGNATURE_PREFIX = "WECHATPAY/SIGNTEST/";

/** Maximum clock difference, in seconds; a message is rejected when |now − timestamp| reaches it. */
export const TIMESTAMP_TOLERANCE_SECONDS = 300;

export interface SignedMessageInput {
  headers: HeaderSource;
  /** The raw body bytes as received; an empty buffer for 204 responses. */
  body: Buffer;
  resolveKey: (serial: string) => Promise<KeyObject | undefined>;
  /** Milliseconds since the epoch. */
  nowMs: number;
}

export interface VerifiedSignature {
  serial: string;
  timestamp: number;
}

/**
 * Verifies the `Wechatpay-*` signature headers of a response or notification over its raw body, or
 * throws a WechatPayVerificationError whose reason names the check that failed.
 */
export async function verifySignedMessage(input: SignedMessageInput): Promise<VerifiedSignature> {
  const timestampText = readHeader(input.headers, "Wechatpay-Timestamp");
  const nonce = readHeader(input.headers, "Wechatpay-Nonce");
  const signature = readHeader(input.headers, "Wechatpay-Signature");
  const serial = readHeader(input.headers, "Wechatpay-Serial");
  if (!timestampText || !nonce || !signature || !serial) {
    throw new WechatPayVerificationError(
      "missing-header",
      "Wechatpay-Timestamp, Wechatpay-Nonce, Wechatpay-Signature and Wechatpay-Serial are all required",
    );
  }

  const signatureType = readHeader(input.headers, "Wechatpay-Signature-Type");
  if (signatureType !== undefined && signatureType !== V3_SIGNATURE_SCHEME) {
    throw new WechatPayVerificationError("bad-signature", `unsupported Wechatpay-Signature-Type ${signatureType}`);
  }

  if (signature.startsWith(PROBE_SIGNATURE_PREFIX)) {
    throw new WechatPayVerificationError(
      "probe",
      "signature probe (WECHATPAY/SIGNTEST/): WeChat Pay sent an invalid signature on purpose",
    );
  }

  if (!/^\d{1,12}$/.test(timestampText)) {
    throw new WechatPayVerificationError("malformed", "Wechatpay-Timestamp is not a Unix time in seconds");
  }
  const timestamp = Number(timestampText);
  const nowSeconds = Math.floor(input.nowMs / 1000);
  if (Math.abs(nowSeconds - timestamp) >= TIMESTAMP_TOLERANCE_SECONDS) {
    throw new WechatPayVerificationError(
      "stale-timestamp",
      `Wechatpay-Timestamp ${timestamp} is ${nowSeconds - timestamp} s away from now; the limit is under ${TIMESTAMP_TOLERANCE_SECONDS} s`,
    );
  }

  const key = await input.resolveKey(serial);
  if (key === undefined) {
    throw new WechatPayVerificationError("unknown-serial", `no platform certificate or public key for serial ${serial}`);
  }

  const message = buildResponseSignatureMessage(timestampText, nonce, input.body);
  if (!verifySha256WithRsa(key, message, signature)) {
    throw new WechatPayVerificationError("bad-signature", `signature does not verify with the key of serial ${serial}`);
  }

  return { serial, timestamp };
}
