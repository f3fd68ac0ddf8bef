import { randomBytes, type KeyObject } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";

import { buildResponseSignatureMessage, signSha256WithRsa } from "../../../../src/wechatpay/index.js";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Subject CN of the TLS client certificate, when one was presented. */
  clientCertificateCn?: string;
}

export interface ResponseSigner {
  serial: string;
  privateKey: KeyObject;
}

export interface FakeReply {
  status: number;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Signs with this key instead of the server's default; false sends no signature headers. */
  signer?: ResponseSigner | false;
  /** Seconds added to the signed timestamp, to simulate clock skew. */
  timestampOffsetSeconds?: number;
  /** Replaces the signature after signing (probes, garbage). */
  signatureOverride?: string;
  /** Closes the connection without a response. */
  destroy?: boolean;
  /** Waits this long before responding. */
  delayMs?: number;
}

export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeWechatPay {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Builds the Wechatpay-* headers of a signed response. */
export function signedHeaders(
  signer: ResponseSigner,
  body: Buffer,
  options: { timestamp?: number; signatureOverride?: string } = {},
): Record<string, string> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString("hex");
  const signature =
    options.signatureOverride ?? signSha256WithRsa(signer.privateKey, buildResponseSignatureMessage(timestamp, nonce, body));
  return {
    "Wechatpay-Timestamp": timestamp,
    "Wechatpay-Nonce": nonce,
    "Wechatpay-Signature": signature,
    "Wechatpay-Serial": signer.serial,
    "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
  };
}

/**
 * Starts a loopback stand-in for WeChat Pay that records every request and signs its responses. With
 * `tls`, it serves HTTPS and requests a client certificate issued by `tls.clientCa`.
 */
export async function startFakeWechatPay(
  defaultSigner: ResponseSigner,
  handler: FakeHandler,
  tls?: { certificatePem: string; privateKeyPem: string; clientCa: string },
): Promise<FakeWechatPay> {
  const requests: RecordedRequest[] = [];
  let requestCounter = 0;

  const listener = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      void (async () => {
        const recorded: RecordedRequest = {
          method: request.method ?? "",
          url: request.url ?? "",
          headers: request.headers,
          body: Buffer.concat(chunks),
        };
        const socket = request.socket as import("node:tls").TLSSocket;
        if (typeof socket.getPeerCertificate === "function") {
          const peer = socket.getPeerCertificate();
          if (peer?.subject?.CN !== undefined) recorded.clientCertificateCn = String(peer.subject.CN);
        }
        requests.push(recorded);

        const reply = await handler(recorded);
        if (reply.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        if (reply.destroy) {
          request.socket.destroy();
          return;
        }

        const body = typeof reply.body === "string" ? Buffer.from(reply.body, "utf8") : (reply.body ?? Buffer.alloc(0));
        requestCounter += 1;
        const headers: Record<string, string> = {
          "Request-ID": `test-request-${requestCounter}`,
          ...(reply.signer === false
            ? {}
            : signedHeaders(reply.signer ?? defaultSigner, body, {
                timestamp: Math.floor(Date.now() / 1000) + (reply.timestampOffsetSeconds ?? 0),
                signatureOverride: reply.signatureOverride,
              })),
          ...reply.headers,
        };
        if (body.length > 0 && headers["Content-Type"] === undefined) headers["Content-Type"] = "application/json";
        response.writeHead(reply.status, headers);
        response.end(body);
      })();
    });
  };

  const server =
    tls === undefined
      ? http.createServer(listener)
      : https.createServer(
          {
            cert: tls.certificatePem,
            key: tls.privateKeyPem,
            ca: tls.clientCa,
            requestCert: true,
            rejectUnauthorized: true,
          },
          listener,
        );

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `${tls === undefined ? "http" : "https"}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
