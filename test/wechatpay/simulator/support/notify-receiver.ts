import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedNotification {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Starts a tiny notify_url endpoint on loopback. `answer` picks the status for each POST by arrival
 * index, so a test can fail the first attempts and accept later ones.
 */
export async function startReceiver(answer: (index: number, received: ReceivedNotification) => number = () => 204): Promise<{
  url: string;
  received: ReceivedNotification[];
  close(): Promise<void>;
}> {
  const received: ReceivedNotification[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const notification = { headers: request.headers, body: Buffer.concat(chunks).toString("utf8") };
      received.push(notification);
      const status = answer(received.length - 1, notification);
      response.writeHead(status, { "Content-Type": "application/json" });
      response.end(status === 200 ? JSON.stringify({ code: "SUCCESS", message: "成功" }) : status === 204 ? undefined : JSON.stringify({ code: "FAIL", message: "rejected" }));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
