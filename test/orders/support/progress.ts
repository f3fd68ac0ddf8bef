import { print } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { OrderExportProgressDocument, type OrderExportProgressSubscription } from "../../generated/graphql.js";
import { signTestToken, type TokenOptions } from "../../support/tokens.js";

/** Collect orderExportProgress messages for one export over graphql-ws until closed. */
export async function watchExportProgress(port: number, token: TokenOptions, exportId: string) {
  const client = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${await signTestToken(token)}` },
  });
  const messages: { data?: OrderExportProgressSubscription | null; errors?: readonly unknown[] }[] = [];
  let started!: () => void;
  const ready = new Promise<void>((resolve) => (started = resolve));

  const dispose = client.subscribe<OrderExportProgressSubscription>(
    { query: print(OrderExportProgressDocument), variables: { id: exportId } },
    { next: (message) => void messages.push(message), error: () => undefined, complete: () => undefined },
  );
  // graphql-ws acknowledges the connection before it subscribes; one ping round trip later the subscription is live.
  client.on("connected", () => setTimeout(started, 100));

  return {
    messages,
    ready,
    async close() {
      dispose();
      await client.dispose();
    },
  };
}
