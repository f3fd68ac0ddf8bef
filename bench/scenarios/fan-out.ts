import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { decodeGlobalId } from "../../src/graphql/relay/global-id.js";
import type { BroadcastSchedule } from "../baselines/broadcast-server.js";
import { signBenchToken } from "../support/app.js";
import type { AppHostInfo, AppHostOptions } from "../support/app-host.js";
import { startBenchChild, type BenchChild } from "../support/child-process.js";
import { createBenchDatabase } from "../support/database.js";
import { rootFields } from "../support/graphql.js";
import type { MemoryFigures } from "../support/memory.js";
import { count, fixed, ms, ratio, skippedReport, type ScenarioReport } from "../support/report.js";
import { percentile } from "../support/stats.js";
import { createCampaign } from "../support/workflows.js";
import type { Scenario, ScenarioContext } from "./scenario.js";

const TENANT = "fanout";
const TARGET_P99_MS = 500;
/** Sockets opened at the same time while subscribers connect. */
const CONNECT_BATCH = 50;

const SUBSCRIPTION = `
  subscription Live($campaignId: ID!) {
    campaignIssuanceUpdated(campaignId: $campaignId) {
      campaignId redPacketsIssued redPacketAmountIssued redPacketsFailed redPacketsRefunded
      vouchersIssued vouchersCollected vouchersRedeemed countedAt
    }
  }`;

interface Delivery {
  receivedAt: number;
  data: Record<string, unknown> & { vouchersIssued: number; countedAt: string };
}

interface MemoryRead {
  peak: MemoryFigures;
  current: MemoryFigures;
}

export const fanOutScenario: Scenario = {
  id: "fanout",
  title: "4. Live fan-out",
  run: runFanOut,
};

async function runFanOut(context: ScenarioContext): Promise<ScenarioReport> {
  const { subscribers, grantsPerSecond, grants } = context.sizes.fanOut;
  const database = await createBenchDatabase("fanout");
  let host: BenchChild<AppHostInfo> | undefined;
  const clients: Client[] = [];
  try {
    host = await startBenchChild<AppHostInfo>(new URL("../support/app-host.js", import.meta.url), {
      databaseUrl: database.url,
    } satisfies AppHostOptions);
    const url = host.info.url;
    const admin = await signBenchToken({ tenant: TENANT, roles: ["admin"] });
    if (!(await rootFields(url, admin)).has("campaignIssuanceUpdated")) {
      return skippedReport("fanout", fanOutScenario.title, "campaignIssuanceUpdated");
    }

    const campaignId = await createCampaign(url, admin, "直播间实时看板");
    const analyst = await signBenchToken({ tenant: TENANT, roles: ["analyst"] });
    const idle = (await host.request<MemoryFigures>("memory.reset"));

    context.log(`connecting ${count(subscribers)} graphql-ws subscribers`);
    const deliveries: Delivery[][] = Array.from({ length: subscribers }, () => []);
    const snapshots: Promise<void>[] = [];
    for (let first = 0; first < subscribers; first += CONNECT_BATCH) {
      const batch: Promise<void>[] = [];
      for (let index = first; index < Math.min(subscribers, first + CONNECT_BATCH); index++) {
        const client = createClient({
          url: `${url.replace("http", "ws")}/graphql`,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${analyst}` },
          retryAttempts: 0,
        });
        clients.push(client);
        const firstMessage = subscribe(client, campaignId, deliveries[index]!);
        batch.push(firstMessage);
        snapshots.push(firstMessage);
      }
      await Promise.all(batch);
    }
    await Promise.all(snapshots);
    const connected = (await host.request<MemoryRead>("memory.read")).current;
    for (const list of deliveries) list.length = 0;

    context.log(`recording ${count(grants)} grants at ${grantsPerSecond}/s`);
    const recorded = await host.request<{ committedAt: number[]; seconds: number }>("grants.record", {
      tenantId: TENANT,
      campaignId: decodeGlobalId(campaignId)!.id,
      perSecond: grantsPerSecond,
      total: grants,
    });
    await waitFor(() => deliveries.every((list) => list.at(-1)?.data.vouchersIssued === grants), 30_000, "every subscriber to see the final count");
    const peak = await host.request<MemoryRead>("memory.read");
    await Promise.all(clients.map((client) => client.dispose()));
    clients.length = 0;

    const committed = [...recorded.committedAt].sort((a, b) => a - b);
    const all = deliveries.flat();
    const publishToDelivery = all.map((delivery) => delivery.receivedAt - Date.parse(delivery.data.countedAt));
    const grantToDelivery = all.map((delivery) => delivery.receivedAt - committed[delivery.data.vouchersIssued - 1]!);

    context.log(`baseline: bare ws broadcast to ${count(subscribers)} sockets`);
    const schedule = scheduleOf(deliveries[0]!);
    const baseline = await broadcastBaseline(subscribers, schedule);

    const grantP99 = percentile(grantToDelivery, 0.99);
    return {
      id: "fanout",
      title: fanOutScenario.title,
      rows: [
        { metric: "subscribers / messages delivered", bff: `${count(subscribers)} / ${count(all.length)}`, baseline: `${count(subscribers)} / ${count(baseline.delivered)}` },
        { metric: "grants recorded", bff: `${count(grants)} in ${fixed(recorded.seconds)} s (${fixed(grants / recorded.seconds, 0)}/s)`, baseline: "replays the same messages" },
        {
          metric: "publish → delivered p50",
          bff: ms(percentile(publishToDelivery, 0.5)),
          baseline: ms(percentile(baseline.latencies, 0.5)),
          ratio: ratio(percentile(publishToDelivery, 0.5), percentile(baseline.latencies, 0.5)),
        },
        {
          metric: "publish → delivered p99",
          bff: ms(percentile(publishToDelivery, 0.99)),
          baseline: ms(percentile(baseline.latencies, 0.99)),
          ratio: ratio(percentile(publishToDelivery, 0.99), percentile(baseline.latencies, 0.99)),
        },
        { metric: "grant committed → delivered p50", bff: ms(percentile(grantToDelivery, 0.5)), baseline: "n/a" },
        { metric: "grant committed → delivered p99", bff: ms(grantP99), baseline: "n/a" },
        {
          metric: "server RSS: idle / subscribed / peak",
          bff: `${fixed(idle.rssMb, 0)} / ${fixed(connected.rssMb, 0)} / ${fixed(peak.peak.rssMb, 0)} MB`,
          baseline: `${fixed(baseline.idle.rssMb, 0)} / ${fixed(baseline.connected.rssMb, 0)} / ${fixed(baseline.peak.rssMb, 0)} MB`,
        },
        {
          metric: "server heap used: idle / peak",
          bff: `${fixed(idle.heapUsedMb, 0)} / ${fixed(peak.peak.heapUsedMb, 0)} MB`,
          baseline: `${fixed(baseline.idle.heapUsedMb, 0)} / ${fixed(baseline.peak.heapUsedMb, 0)} MB`,
        },
      ],
      targets: [
        {
          target: `fan-out p99 < ${TARGET_P99_MS} ms (grant committed → delivered)`,
          measured: ms(grantP99),
          met: grantP99 < TARGET_P99_MS,
          reason: `publish → delivered p99 was ${ms(percentile(publishToDelivery, 0.99))}; the rest is the feed's coalescing (at most one read per campaign per 250 ms) and the count query`,
        },
      ],
      notes: [
        `Grants are recorded in the server process as the issuers finish one: the VOUCHER_ISSUED event in a transaction, then notifyCampaignActivity after the commit, ${grantsPerSecond} per second on a fixed schedule. WeChat Pay calls are left out so the rate holds; scenario 2 measures them.`,
        "publish → delivered runs from countedAt (set when the counts are read, just before publishing) to the client's receipt. grant committed → delivered runs from the moment the transaction of the newest grant a message counts returned in the server. Both clocks run in the server's JavaScript thread, so its event-loop delay shows in both. The baseline replays the messages subscriber 1 received, at the same times, and stamps countedAt when it sends.",
        "Subscribers run in the benchmark process; the server runs in a process of its own, whose memory is sampled every 20 ms.",
      ],
    };
  } finally {
    await Promise.allSettled(clients.map((client) => client.dispose()));
    await host?.stop();
    await database.drop();
  }
}

/** Subscribe one client; resolves on the first message (the snapshot), then keeps recording. */
function subscribe(client: Client, campaignId: string, deliveries: Delivery[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let first = true;
    client.subscribe(
      { query: SUBSCRIPTION, variables: { campaignId } },
      {
        next: (message) => {
          const data = (message.data as { campaignIssuanceUpdated: Delivery["data"] }).campaignIssuanceUpdated;
          deliveries.push({ receivedAt: Date.now(), data });
          if (first) {
            first = false;
            resolve();
          }
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => undefined,
      },
    );
  });
}

function scheduleOf(deliveries: Delivery[]): BroadcastSchedule {
  const start = Date.parse(deliveries[0]!.data.countedAt);
  return {
    payloads: deliveries.map((delivery) => delivery.data),
    offsetsMs: deliveries.map((delivery) => Date.parse(delivery.data.countedAt) - start),
    stampField: "countedAt",
  };
}

async function broadcastBaseline(subscribers: number, schedule: BroadcastSchedule) {
  const server = await startBenchChild<{ url: string }>(new URL("../baselines/broadcast-server.js", import.meta.url), {});
  const sockets: WebSocket[] = [];
  try {
    const idle = await server.request<MemoryFigures>("memory.reset");
    const latencies: number[] = [];
    let delivered = 0;
    for (let first = 0; first < subscribers; first += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, subscribers - first) }, () => {
        const socket = new WebSocket(server.info.url);
        sockets.push(socket);
        socket.on("message", (raw) => {
          const message = JSON.parse(String(raw)) as { payload: { data: { campaignIssuanceUpdated: { countedAt: string } } } };
          latencies.push(Date.now() - Date.parse(message.payload.data.campaignIssuanceUpdated.countedAt));
          delivered++;
        });
        return new Promise<void>((resolve, reject) => {
          socket.once("open", () => resolve());
          socket.once("error", reject);
        });
      });
      await Promise.all(batch);
    }
    const connected = (await server.request<MemoryRead>("memory.read")).current;
    await server.request("broadcast", schedule);
    const expected = subscribers * schedule.payloads.length;
    await waitFor(() => delivered >= expected, 30_000, "every baseline socket to receive every message");
    const peak = (await server.request<MemoryRead>("memory.read")).peak;
    return { idle, connected, peak, latencies, delivered };
  } finally {
    for (const socket of sockets) socket.terminate();
    await server.stop();
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
