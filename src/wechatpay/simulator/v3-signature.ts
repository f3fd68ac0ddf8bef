import { createSign, createVerify, randomBytes, type KeyObject } from "node:crypto";

/** The only scheme WeChat Pay accepts in the APIv3 Authorization header. */
export const AUTHORIZATION_SCHEME = "WECHATPAY2-SHA256-RSA2048";

/** Largest accepted distance between a request timestamp and the simulator clock, in seconds. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** Prefix WeChat Pay puts on deliberately invalid signatures to check that merchants verify them. */
export const SIGNATURE_PROBE_PREFIX = "WECHATPAY/SIGNTEST/";

export interface AuthorizationParameters {
  mchid: string;
  nonce_str: string;
  timestamp: string;
  serial_no: string;
  signature: string;
}

const AUTHORIZATION_KEYS = ["mchid", "nonce_str", "timestamp", "serial_no", "signature"] as const;

/**
 * Parses `WECHATPAY2-SHA256-RSA2048 k="v",k="v"`. The five parameters may come in any order, but each
 * must appear exactly once and no other may appear. Returns the reason as a string on failure.
 */
export function parseAuthorization(header: string | undefined): AuthorizationParameters | string {
  if (header === undefined || header === "") return "Authorization header is missing";

  const prefix = `${AUTHORIZATION_SCHEME} `;
  if (!header.startsWith(prefix)) return `Authorization scheme must be ${AUTHORIZATION_SCHEME}`;

  const values = new Map<string, string>();
  const pairPattern = /^([a-z_]+)="([^"]*)"$/;
  for (const pair of header.slice(prefix.length).split(",")) {
    const match = pairPattern.exec(pair);
    if (match === null) return `Authorization parameter ${JSON.stringify(pair)} is not of the form key="value"`;
    if (values.has(match[1]!)) return `Authorization parameter ${match[1]} appears twice`;
    values.set(match[1]!, match[2]!);
  }

  for (const key of AUTHORIZATION_KEYS) {
    if (!values.get(key)) return `Authorization parameter ${key} is missing`;
  }
  if (values.size !== AUTHORIZATION_KEYS.length) return "Authorization header carries unknown parameters";

  return {
    mchid: values.get("mchid")!,
    nonce_str: values.get("nonce_str")!,
    timestamp: values.get("timestamp")!,
    serial_no: values.get("serial_no")!,
    signature: values.get("signature")!,
  };
}

/** Builds the five-line request message; every line, the body line included, ends in `\n`. */
export function buildRequestMessage(input: {
  method: string;
  canonicalUrl: string;
  timestamp: string;
  nonce: string;
  body: string;
}): string {
  return `${input.method}\n${input.canonicalUrl}\n${input.timestamp}\n${input.nonce}\n${input.body}\n`;
}

/** Builds the three-line message that signs responses and notifications. */
export function buildResponseMessage(input: { timestamp: string; nonce: string; body: string }): string {
  return `${input.timestamp}\n${input.nonce}\n${input.body}\n`;
}

export function signSha256Rsa(privateKey: KeyObject, message: string): string {
  return createSign("RSA-SHA256").update(message, "utf8").sign(privateKey, "base64");
}

export function verifySha256Rsa(publicKey: KeyObject, message: string, signature: string): boolean {
  // Only the standard Base64 alphabet is accepted, as WeChat Pay does; Node would also take base64url.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  return createVerify("RSA-SHA256").update(message, "utf8").verify(publicKey, signature, "base64");
}

/** 32 characters from [0-9A-Z], like the nonces WeChat Pay sends. */
export function generateNonce(): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const bytes = randomBytes(32);
  let nonce = "";
  for (const byte of bytes) nonce += alphabet[byte % alphabet.length];
  return nonce;
}

/** Signature variant of a response or notification: genuine, by an unrelated key, or a probe. */
export type SignatureKind = "genuine" | "forged" | "probe";

export interface SignedHeaders {
  "Wechatpay-Timestamp": string;
  "Wechatpay-Nonce": string;
  "Wechatpay-Signature": string;
  "Wechatpay-Serial": string;
  "Wechatpay-Signature-Type": string;
}

/**
 * Signs a response or notification body. A forged signature is a valid RSA signature by a key that
 * WeChat Pay never published. A probe carries the `WECHATPAY/SIGNTEST/` prefix and verifies with no key.
 */
export function signResponse(input: {
  body: string;
  timestampSeconds: number;
  serial: string;
  privateKey: KeyObject;
  forgeryKey: KeyObject;
  kind: SignatureKind;
}): SignedHeaders {
  const timestamp = String(input.timestampSeconds);
  const nonce = generateNonce();
  const message = buildResponseMessage({ timestamp, nonce, body: input.body });

  let signature: string;
  if (input.kind === "genuine") {
    signature = signSha256Rsa(input.privateKey, message);
  } else if (input.kind === "forged") {
    signature = signSha256Rsa(input.forgeryKey, message);
  } else {
    signature = SIGNATURE_PROBE_PREFIX + randomBytes(192).toString("base64");
  }

  return {
    "Wechatpay-Timestamp": timestamp,
    "Wechatpay-Nonce": nonce,
    "Wechatpay-Signature": signature,
    "Wechatpay-Serial": input.serial,
    "Wechatpay-Signature-Type": AUTHORIZATION_SCHEME,
  };
}
