import http from "node:http";
import type { AddressInfo } from "node:net";

import {
  WechatPayVerificationError,
  type WechatPayClient,
  type WechatPayNotification,
} from "../../../../src/wechatpay/index.js";

export interface NotifyReceiver {
  /** http://127.0.0.1:PORT/notify */
  url: string;
  accepted: WechatPayNotification[];
  /** Reasons of rejected deliveries, in arrival order. */
  rejected: string[];
  close(): Promise<void>;
}

/**
 * A loopback notify_url that hands each raw body to `client.parseNotification`, responds 204 when it
 * verifies and 400 with `{"code":"FAIL"}` when it does not, as a merchant endpoint should.
 */
export async function startNotifyReceiver(client: () => WechatPayClient): Promise<NotifyReceiver> {
  const accepted: WechatPayNotification[] = [];
  const rejected: string[] = [];

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      client()
        .parseNotification({ headers: request.headers, rawBody: Buffer.concat(chunks) })
        .then((notification) => {
          accepted.push(notification);
          response.writeHead(204).end();
        })
        .catch((error: unknown) => {
          rejected.push(error instanceof WechatPayVerificationError ? error.reason : String(error));
          response.writeHead(400, { "Content-Type": "application/json" }).end('{"code":"FAIL","message":"rejected"}');
        });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    accepted,
    rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
