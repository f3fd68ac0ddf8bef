import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { GraphQLClient } from "graphql-request";
import { print } from "graphql";
import { CampaignsDocument, CampaignUpdatedDocument, CreateCampaignDocument, UpdateCampaignDocument } from "../generated/graphql.js";
import { startTestApp } from "../support/app.js";
import { signTestToken } from "../support/tokens.js";

describe("shutdown", () => {
  it("drains an in-flight request before closing", async () => {
    const test = await startTestApp();
    let release!: () => void;
    const started = new Promise<void>((resolve) => {
      test.app.notificationRoutes.register("slow-test", async () => {
        resolve();
        await new Promise<void>((done) => (release = done));
        return { status: 204 };
      });
    });

    const inFlight = fetch(`${test.url}/wechatpay/notify/slow-test/any`, { method: "POST", body: "{}" });
    await started;
    const stopping = test.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));

    const refused = await fetch(`${test.url}/healthz`).then(
      () => "answered",
      () => "refused",
    );
    expect(refused).toBe("refused");

    release();
    const response = await inFlight;
    expect(response.status).toBe(204);
    await stopping;
  });

  it("closes WebSockets with 1001 on shutdown", async () => {
    const test = await startTestApp();
    const token = await signTestToken();
    const closed = new Promise<number>((resolve) => {
      const socket = new WebSocket(test.graphqlUrl.replace("http", "ws"), "graphql-transport-ws");
      socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } })));
      socket.on("message", (data) => {
        if (JSON.parse(String(data)).type === "connection_ack") void test.stop();
      });
      socket.on("close", (code) => resolve(code));
    });
    expect(await closed).toBe(1001);
  });
});

describe("subscriptions over WebSocket", () => {
  it("delivers updates to the same tenant only", async () => {
    const test = await startTestApp();
    try {
      const marketer = await test.client({ tenant: "ws-a" });
      const { createCampaign } = await marketer.request(CreateCampaignDocument, { input: { name: "直播" } });
      const campaignId = createCampaign.campaign!.id;

      const received: unknown[] = [];
      const client = createClient({
        url: test.graphqlUrl.replace("http", "ws"),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${await signTestToken({ tenant: "ws-a", roles: ["analyst"] })}` },
      });
      const subscription = client.iterate({ query: print(CampaignUpdatedDocument), variables: { campaignId } });
      const first = subscription.next();
      // The subscription is registered once the server has acknowledged it; give it a moment.
      await new Promise((resolve) => setTimeout(resolve, 200));

      await marketer.request(UpdateCampaignDocument, { input: { id: campaignId, status: "ACTIVE" } });
      const result = await first;
      received.push(result.value);
      expect(received[0]).toEqual({ data: { campaignUpdated: { id: campaignId, name: "直播", status: "ACTIVE" } } });
      await subscription.return?.();
      await client.dispose();
    } finally {
      await test.stop();
    }
  });

  it("refuses a connection with an invalid token", async () => {
    const test = await startTestApp();
    try {
      const code = await new Promise<number>((resolve) => {
        const socket = new WebSocket(test.graphqlUrl.replace("http", "ws"), "graphql-transport-ws");
        socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: "Bearer forged" } })));
        socket.on("close", (closeCode) => resolve(closeCode));
      });
      expect(code).toBe(4403);
    } finally {
      await test.stop();
    }
  });

  it("requires a token for subscriptions", async () => {
    const test = await startTestApp();
    try {
      const client = createClient({ url: test.graphqlUrl.replace("http", "ws"), webSocketImpl: WebSocket });
      const subscription = client.iterate({
        query: print(CampaignUpdatedDocument),
        variables: { campaignId: "Q2FtcGFpZ246MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw" },
      });
      const result = await subscription.next();
      expect((result.value as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
        "UNAUTHENTICATED",
      );
      await client.dispose();
    } finally {
      await test.stop();
    }
  });
});

describe("embedded PGlite", () => {
  it("keeps data across a restart", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "bff-pglite-"));
    const env = { PGLITE_DATA_DIR: path.join(dataDir, "pglite"), DATABASE_URL: "" };
    const embedded = { url: undefined, drop: async () => {} };
    try {
      const first = await startTestApp({ env, database: embedded });
      const client = await first.client({ tenant: "persist" });
      await client.request(CreateCampaignDocument, { input: { name: "重启后仍在" } });
      await first.app.stop();

      const second = await startTestApp({ env, database: embedded });
      const again = new GraphQLClient(second.graphqlUrl, {
        headers: { authorization: `Bearer ${await signTestToken({ tenant: "persist" })}` },
      });
      const { campaigns } = await again.request(CampaignsDocument, {});
      expect(campaigns.edges.map((edge) => edge.node.name)).toEqual(["重启后仍在"]);
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
