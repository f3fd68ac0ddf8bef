import { createHash, createHmac, createPrivateKey, createPublicKey, createSign, createVerify, randomBytes, X509Certificate } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { SimulatedMerchantConfig } from "../../../../src/wechatpay/simulator/index.js";

/** A raw HTTP response: the exact body bytes as text and the lower-cased headers. */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface SignOverrides {
  /** Key to sign with instead of the merchant's. */
  privateKeyPem?: string;
  serialNo?: string;
  mchid?: string;
  timestampSeconds?: number;
  /** Body to send after signing `body`, to tamper with it in transit. */
  sentBody?: string;
  /** Path to sign instead of the one sent. */
  signedPath?: string;
  extraHeaders?: Record<string, string>;
}

/** Sends one APIv3 request signed the way a merchant signs it; path includes the query string. */
export function sendV3(
  merchant: SimulatedMerchantConfig,
  input: { method: "GET" | "POST"; path: string; body?: unknown },
  overrides: SignOverrides = {},
): Promise<RawResponse> {
  let body = "";
  if (typeof input.body === "string") body = input.body;
  else if (input.body !== undefined) body = JSON.stringify(input.body);
  const timestamp = String(overrides.timestampSeconds ?? Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString("hex").toUpperCase();
  const message = `${input.method}\n${overrides.signedPath ?? input.path}\n${timestamp}\n${nonce}\n${body}\n`;
  const signature = createSign("RSA-SHA256")
    .update(message)
    .sign(createPrivateKey(overrides.privateKeyPem ?? merchant.merchantPrivateKeyPem), "base64");
  const authorization =
    `WECHATPAY2-SHA256-RSA2048 mchid="${overrides.mchid ?? merchant.mchid}",nonce_str="${nonce}",` +
    `signature="${signature}",timestamp="${timestamp}",serial_no="${overrides.serialNo ?? merchant.merchantSerialNo}"`;

  const sent = overrides.sentBody ?? body;
  const headers: Record<string, string> = {
    Authorization: authorization,
    Accept: "application/json",
    "User-Agent": "simulator-test/1.0",
    ...overrides.extraHeaders,
  };
  if (sent !== "") {
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = String(Buffer.byteLength(sent));
  }
  return rawRequest(new URL(input.path, merchant.apiBaseUrl), { method: input.method, headers, body: sent });
}

export function rawRequest(
  url: URL,
  input: { method: string; headers?: Record<string, string>; body?: string; tls?: https.RequestOptions },
): Promise<RawResponse> {
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(url, { method: input.method, headers: input.headers, ...input.tls }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(input.body ?? "");
  });
}

/**
 * Verifies an APIv3 response or notification: `ts\nnonce\nbody\n`, the key chosen by Wechatpay-Serial
 * (public key id or platform certificate serial), and at most 300 s of clock skew.
 */
export function verifyWechatpaySignature(
  keys: { publicKeyId: string; publicKeyPem: string; certificateSerialNo: string; certificatePem: string },
  headers: http.IncomingHttpHeaders,
  body: string,
): boolean {
  const timestamp = String(headers["wechatpay-timestamp"] ?? "");
  const nonce = String(headers["wechatpay-nonce"] ?? "");
  const signature = String(headers["wechatpay-signature"] ?? "");
  const serial = String(headers["wechatpay-serial"] ?? "");
  if (Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp)) > 300) return false;

  let publicKey;
  if (serial === keys.publicKeyId) publicKey = createPublicKey(keys.publicKeyPem);
  else if (serial === keys.certificateSerialNo) publicKey = new X509Certificate(keys.certificatePem).publicKey;
  else return false;

  return createVerify("RSA-SHA256").update(`${timestamp}\n${nonce}\n${body}\n`).verify(publicKey, signature, "base64");
}

/** Computes the APIv2 sign: sorted non-empty fields, `&key=`, then MD5 or HMAC-SHA256, upper-case hex. */
export function v2Sign(fields: Record<string, string>, key: string, type: "MD5" | "HMAC-SHA256" = "MD5"): string {
  const text =
    Object.keys(fields)
      .filter((name) => name !== "sign" && fields[name] !== "")
      .sort()
      .map((name) => `${name}=${fields[name]}`)
      .join("&") + `&key=${key}`;
  const digest = type === "MD5" ? createHash("md5").update(text) : createHmac("sha256", key).update(text);
  return digest.digest("hex").toUpperCase();
}

export function toXml(fields: Record<string, string>): string {
  return `<xml>${Object.entries(fields)
    .map(([name, value]) => `<${name}><![CDATA[${value}]]></${name}>`)
    .join("")}</xml>`;
}

/** Reads `<name>` from a flat v2 response, CDATA or not. */
export function xmlField(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(xml);
  return match === null ? undefined : (match[1] ?? match[2]);
}

/** POSTs a signed v2 XML request over mutual TLS; `clientCertificate: false` sends none. */
export function sendV2(
  merchant: SimulatedMerchantConfig,
  path: string,
  fields: Record<string, string>,
  options: { clientCertificate?: false | { certificatePem: string; privateKeyPem: string }; sign?: string } = {},
): Promise<RawResponse> {
  const signed = { ...fields, sign: options.sign ?? v2Sign(fields, merchant.apiV2Key) };
  const client =
    options.clientCertificate === false
      ? {}
      : {
          cert: options.clientCertificate?.certificatePem ?? merchant.merchantCertificatePem,
          key: options.clientCertificate?.privateKeyPem ?? merchant.merchantPrivateKeyPem,
        };
  const body = toXml(signed);
  return rawRequest(new URL(path, merchant.apiV2BaseUrl), {
    method: "POST",
    headers: { "Content-Type": "text/xml", "Content-Length": String(Buffer.byteLength(body)) },
    body,
    tls: { ca: merchant.tlsCaPem, ...client },
  });
}
