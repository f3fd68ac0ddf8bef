import { createSign, createVerify, type KeyObject } from "node:crypto";

/** The scheme token of the APIv3 Authorization header and of `Wechatpay-Signature-Type`. */
export const V3_SIGNATURE_SCHEME = "WECHATPAY2-SHA256-RSA2048";

export interface RequestSignatureInput {
  method: string;
  /** Path plus `?query` exactly as sent on the wire, without scheme or host. */
  canonicalUrl: string;
  /** Unix time in seconds. */
  timestamp: number;
  nonce: string;
  /** The exact request body; empty for requests without one. */
  body: string;
}

/** Builds the five-line APIv3 request signing message; every line, the last included, ends in "\n". */
export function buildRequestSignatureMessage(input: RequestSignatureInput): string {
  return `${input.method.toUpperCase()}\n${input.canonicalUrl}\n${input.timestamp}\n${input.nonce}\n${input.body}\n`;
}

/** Signs `message` with SHA256withRSA (PKCS#1 v1.5) and returns standard Base64. */
export function signSha256WithRsa(privateKey: KeyObject, message: string | Buffer): string {
  const signer = createSign("RSA-SHA256");
  signer.update(message);
  return signer.sign(privateKey, "base64");
}

/** Verifies a standard-Base64 SHA256withRSA signature; malformed input verifies as false. */
export function verifySha256WithRsa(publicKey: KeyObject, message: Buffer, signature: string): boolean {
  try {
    const verifier = createVerify("RSA-SHA256");
    verifier.update(message);
    return verifier.verify(publicKey, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

export interface AuthorizationInput extends RequestSignatureInput {
  mchid: string;
  /** Serial of the merchant API certificate, not of a platform certificate. */
  merchantSerialNo: string;
  privateKey: KeyObject;
}

/** Builds the value of the APIv3 `Authorization` header for one request. */
export function buildAuthorizationHeader(input: AuthorizationInput): string {
  const signature = signSha256WithRsa(input.privateKey, buildRequestSignatureMessage(input));
  return (
    `${V3_SIGNATURE_SCHEME} mchid="${input.mchid}",nonce_str="${input.nonce}",` +
    `timestamp="${input.timestamp}",serial_no="${input.merchantSerialNo}",signature="${signature}"`
  );
}

/** Builds the three-line message WeChat Pay signs in responses and notifications, over the raw body bytes. */
export function buildResponseSignatureMessage(timestamp: string, nonce: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`, "utf8"), body, Buffer.from("\n", "utf8")]);
}
