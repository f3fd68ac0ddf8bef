import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphQLClient } from "graphql-request";
import type { RunningApp } from "../../src/app/start.js";
import type { Executor } from "../../src/db/database.js";
import { TenantScope } from "../../src/db/tenant-scope.js";
import { decodeGlobalId, toGlobalId } from "../../src/graphql/relay/global-id.js";
import { loadIssuanceCounts } from "../../src/modules/dashboards/campaign-stats.repository.js";
import { customerEventKey, recordCustomerEvents, type CustomerEventInput } from "../../src/modules/events/customer-event.recorder.js";
import type { CustomerEventType } from "../../src/modules/events/customer-event.table.js";
import { notifyCampaignActivity } from "../../src/realtime/campaign-activity.js";
import { publishJobProgress } from "../../src/realtime/job-progress.js";
import { connectAppPubSub } from "../../src/realtime/pubsub.js";
import { createLogger } from "../../src/logging/logger.js";
import {
  CampaignIssuanceUpdatedDocument,
  CreateCampaignDocument,
  JobProgressDocument,
  type CampaignIssuanceUpdatedSubscription,
  type JobProgressSubscription,
} from "../generated/graphql.js";
import { createTestDatabase, type TestDatabase } from "../support/database.js";
import { signTestToken } from "../support/tokens.js";
import { startTestApp } from "../support/app.js";
import { startRedisInstance, subscribe } from "./support/live-apps.js";

type IssuanceMessage = { data?: CampaignIssuanceUpdatedSubscription; errors?: { message: string; extensions?: Record<string, unknown> }[] };
type Counts = CampaignIssuanceUpdatedSubscription["campaignIssuanceUpdated"];

const TENANT = "live-a";

let database: TestDatabase;
let first: { app: RunningApp; stop(): Promise<void> };
let second: { app: RunningApp; stop(): Promise<void> };

beforeAll(async () => {
  database = await createTestDatabase();
  // One channel prefix per run, so test runs sharing the Redis server never see each other's events.
  const channelPrefix = `test-${randomUUID()}:`;
  first = await startRedisInstance(database, channelPrefix);
  second = await startRedisInstance(database, channelPrefix);
});

afterAll(async () => {
  await first?.stop();
  await second?.stop();
  await database?.drop();
});

async function createCampaign(app: RunningApp, tenant = TENANT): Promise<{ id: string; rowId: string }> {
  const client = new GraphQLClient(`http://127.0.0.1:${app.http.port}/graphql`, {
    headers: { authorization: `Bearer ${await signTestToken({ tenant, roles: ["marketer"] })}` },
  });
  const { createCampaign: created } = await client.request(CreateCampaignDocument, { input: { name: "直播间" } });
  return { id: created.campaign!.id, rowId: decodeGlobalId(created.campaign!.id)!.id };
}

function events(campaignRowId: string, type: CustomerEventType, count: number): CustomerEventInput[] {
  return Array.from({ length: count }, () => ({
    eventKey: customerEventKey(type, randomUUID()),
    type,
    occurredAt: new Date(),
    source: "LUCKY_DRAW" as const,
    customerId: randomUUID(),
    openid: `o-${randomUUID()}`,
    campaignId: campaignRowId,
    amount: type === "RED_PACKET_ISSUED" ? 100 : null,
  }));
}

/** Record events in one transaction on an instance and notify after the commit, as producing modules do. */
async function recordAndNotify(app: RunningApp, campaignRowId: string, batch: CustomerEventInput[]): Promise<void> {
  await app.services.db.transaction((tx) => recordCustomerEvents(tx as unknown as Executor, TENANT, batch));
  notifyCampaignActivity(app.services, TENANT, campaignRowId);
}

async function databaseCounts(app: RunningApp, campaignRowId: string, campaignId: string): Promise<Omit<Counts, "countedAt">> {
  const counts = await loadIssuanceCounts(new TenantScope(TENANT, app.services.db), campaignRowId);
  return { campaignId, ...counts };
}

const countsOf = (message: IssuanceMessage) => {
  const { countedAt: _countedAt, ...counts } = message.data!.campaignIssuanceUpdated;
  return counts;
};

describe("campaignIssuanceUpdated across instances", () => {
  it("delivers a change made on one instance to the other", async () => {
    const campaign = await createCampaign(first.app);
    const subscriber = await subscribe<IssuanceMessage>(
      second.app.http.port,
      { tenant: TENANT, roles: ["analyst"] },
      CampaignIssuanceUpdatedDocument,
      { campaignId: campaign.id },
    );
    try {
      const snapshot = await subscriber.message(0);
      expect(countsOf(snapshot)).toEqual(await databaseCounts(first.app, campaign.rowId, campaign.id));
      expect(snapshot.data!.campaignIssuanceUpdated.redPacketsIssued).toBe(0);

      await recordAndNotify(first.app, campaign.rowId, [
        ...events(campaign.rowId, "RED_PACKET_ISSUED", 3),
        ...events(campaign.rowId, "VOUCHER_ISSUED", 2),
      ]);

      const update = await subscriber.message(1);
      expect(countsOf(update)).toEqual(await databaseCounts(first.app, campaign.rowId, campaign.id));
      expect(update.data!.campaignIssuanceUpdated).toMatchObject({ redPacketsIssued: 3, redPacketAmountIssued: 300, vouchersIssued: 2 });
    } finally {
      await subscriber.close();
    }
  });

  it("coalesces a burst and ends on the database counts", async () => {
    const campaign = await createCampaign(first.app);
    const onSecond = await subscribe<IssuanceMessage>(second.app.http.port, { tenant: TENANT, roles: ["admin"] }, CampaignIssuanceUpdatedDocument, {
      campaignId: campaign.id,
    });
    const onFirst = await subscribe<IssuanceMessage>(first.app.http.port, { tenant: TENANT, roles: ["marketer"] }, CampaignIssuanceUpdatedDocument, {
      campaignId: campaign.id,
    });
    try {
      await onSecond.message(0);
      await onFirst.message(0);

      // 200 commits of 10 events, alternating between the instances, each followed by a notification.
      const commits = 200;
      const started = Date.now();
      for (let commit = 0; commit < commits; commit += 1) {
        const instance = commit % 2 === 0 ? first.app : second.app;
        await recordAndNotify(instance, campaign.rowId, events(campaign.rowId, commit % 5 === 0 ? "VOUCHER_REDEEMED" : "RED_PACKET_ISSUED", 10));
      }
      const burstMs = Date.now() - started;
      await onSecond.quiet(1_000);
      await onFirst.quiet(1_000);

      const expected = await databaseCounts(first.app, campaign.rowId, campaign.id);
      expect(expected.redPacketsIssued).toBe(1_600);
      expect(expected.vouchersRedeemed).toBe(400);

      for (const subscriber of [onSecond, onFirst]) {
        const updates = subscriber.messages.slice(1);
        // Each instance publishes at most once per 250 ms per campaign, plus the first and the last.
        const allowed = 2 * (Math.ceil(burstMs / 250) + 2);
        expect(updates.length).toBeGreaterThan(0);
        expect(updates.length).toBeLessThanOrEqual(allowed);
        expect(updates.length).toBeLessThan(commits / 2);

        const issued = updates.map((message) => message.data!.campaignIssuanceUpdated.redPacketsIssued);
        expect(issued).toEqual([...issued].sort((left, right) => left - right));
        expect(countsOf(updates.at(-1)!)).toEqual(expected);
      }
    } finally {
      await onSecond.close();
      await onFirst.close();
    }
  });

  it("rejects another tenant's campaign", async () => {
    const campaign = await createCampaign(first.app);
    const subscriber = await subscribe<IssuanceMessage>(second.app.http.port, { tenant: "live-b", roles: ["analyst"] }, CampaignIssuanceUpdatedDocument, {
      campaignId: campaign.id,
    });
    try {
      const message = (await subscriber.message(0)) as unknown as { errors: { extensions?: Record<string, unknown> }[] };
      expect(message.errors[0]?.extensions?.["code"]).toBe("NOT_FOUND");
    } finally {
      await subscriber.close();
    }
  });
});

describe("jobProgress across instances", () => {
  it("delivers progress to the job's tenant only", async () => {
    const jobRowId = randomUUID();
    const jobId = toGlobalId("Job", jobRowId);
    const own = await subscribe<{ data?: JobProgressSubscription }>(second.app.http.port, { tenant: TENANT, roles: ["marketer"] }, JobProgressDocument, { jobId });
    const stranger = await subscribe<{ data?: JobProgressSubscription }>(second.app.http.port, { tenant: "live-b", roles: ["marketer"] }, JobProgressDocument, { jobId });
    try {
      await second.app.services.pubsub.whenSubscribed();
      // Give the WebSocket subscriptions time to be registered on the server.
      await new Promise((resolve) => setTimeout(resolve, 200));
      publishJobProgress(first.app.services, { tenantId: TENANT, jobId: jobRowId, processed: 40, total: 100, status: "RUNNING" });

      const message = await own.message(0);
      expect(message.data?.jobProgress).toEqual({ jobId, processed: 40, total: 100, status: "RUNNING" });
      await stranger.quiet(300);
      expect(stranger.messages).toEqual([]);
    } finally {
      await own.close();
      await stranger.close();
    }
  });
});

describe("campaignIssuanceUpdated in one process", () => {
  it("publishes without Redis", async () => {
    const test = await startTestApp();
    try {
      const campaign = await createCampaign(test.app);
      const subscriber = await subscribe<IssuanceMessage>(test.app.http.port, { tenant: TENANT, roles: ["analyst"] }, CampaignIssuanceUpdatedDocument, {
        campaignId: campaign.id,
      });
      await subscriber.message(0);
      for (let commit = 0; commit < 20; commit += 1) {
        await recordAndNotify(test.app, campaign.rowId, events(campaign.rowId, "VOUCHER_COLLECTED", 1));
      }
      await subscriber.quiet(600);

      const last = subscriber.messages.at(-1)!;
      expect(last.data!.campaignIssuanceUpdated.vouchersCollected).toBe(20);
      expect(subscriber.messages.length).toBeLessThan(20);
      await subscriber.close();
    } finally {
      await test.stop();
    }
  });
});

describe("connectAppPubSub", () => {
  it("fails when Redis is unreachable", async () => {
    // Nothing listens on loopback port 6 (the unassigned port between echo and discard services).
    await expect(connectAppPubSub({ redisUrl: "redis://127.0.0.1:6", logger: createLogger("silent") })).rejects.toThrow(
      /^Redis at REDIS_URL could not be reached/,
    );
  });
});
