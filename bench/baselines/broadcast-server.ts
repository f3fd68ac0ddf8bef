/**
 * Fan-out baseline: a bare `ws` server in its own process that sends the same graphql-ws "next"
 * messages to every connected socket, with no GraphQL, pub/sub or database behind it.
 */
import { WebSocketServer, type WebSocket } from "ws";
import { childOptions, failStartup, serveParent } from "../support/child-process.js";
import { guardOutboundConnections } from "../support/loopback.js";
import { MemorySampler } from "../support/memory.js";

export interface BroadcastSchedule {
  /** Payload data of each message, sent in order. */
  payloads: Record<string, unknown>[];
  /** When to send each message, in ms after the first. */
  offsetsMs: number[];
  /** Field of the payload that receives the send time (ISO), as countedAt does in the app. */
  stampField: string;
}

guardOutboundConnections();

try {
  childOptions<Record<string, never>>();
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const sockets = new Set<WebSocket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const memory = new MemorySampler();
  const address = server.address() as { port: number };

  serveParent(
    { url: `ws://127.0.0.1:${address.port}` },
    {
      "memory.reset": () => memory.reset(),
      "memory.read": () => memory.read(),
      sockets: () => sockets.size,
      broadcast: async (schedule: BroadcastSchedule) => {
        const started = performance.now();
        for (let index = 0; index < schedule.payloads.length; index++) {
          const wait = started + schedule.offsetsMs[index]! - performance.now();
          if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));

          const data = { ...schedule.payloads[index], [schedule.stampField]: new Date().toISOString() };
          // A bare broadcast serialises once for all sockets; graphql-ws executes and serialises per subscription.
          const message = JSON.stringify({ id: "1", type: "next", payload: { data: { campaignIssuanceUpdated: data } } });
          for (const socket of sockets) socket.send(message);
        }
        return schedule.payloads.length;
      },
    },
    async () => {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  );
} catch (error) {
  failStartup(error);
}
