import { createPubSub, type PubSub, type PubSubEventTarget } from "@graphql-yoga/subscription";
import type { Logger } from "../logging/logger.js";
import type { CampaignIssuancePayload } from "./campaign-issuance.js";
import type { JobProgressPayload } from "./job-progress.js";
import { connectRedisEventTarget } from "./redis-event-target.js";

/**
 * Topics and their payloads. Publishing happens only after the transaction that produced the change has
 * committed, so a subscriber never receives a count the database does not hold. Payloads are plain JSON,
 * because with REDIS_URL set they travel between server instances as JSON text.
 */
export interface Topics {
  [key: string]: [unknown] | [string | number, unknown];
  CAMPAIGN_UPDATED: [campaignId: string, payload: { tenantId: string; campaignId: string }];
  /** Issuance counts of one campaign, keyed by the campaign's row id. */
  CAMPAIGN_ISSUANCE_UPDATED: [campaignId: string, payload: CampaignIssuancePayload];
  /** Progress of a bulk or export job, keyed by the job's row id. */
  JOB_PROGRESS: [jobId: string, payload: JobProgressPayload];
}

export type AppPubSub = PubSub<Topics> & {
  /** Resolves once every subscription requested so far receives messages (at once when in-process). */
  whenSubscribed(): Promise<void>;
  /** Stop listening and close any connection; publishing afterwards does nothing. */
  close(): Promise<void>;
};

export interface PubSubOptions {
  /** Redis server that fans events out to every instance; undefined keeps them in this process. */
  redisUrl?: string | undefined;
  /** Prefix of every Redis channel, so deployments (or test runs) sharing one Redis stay apart. */
  channelPrefix?: string;
  logger: Logger;
}

export const DEFAULT_CHANNEL_PREFIX = "merchant-center:";

/** In-process pub/sub for a single instance, and for building the schema without a server. */
export function createAppPubSub(): AppPubSub {
  return Object.assign(createPubSub<Topics>(), {
    whenSubscribed: async () => {},
    close: async () => {},
  });
}

/**
 * Pub/sub for the running server: over Redis when a URL is configured, so a subscriber on any instance
 * receives what another instance publishes; in-process otherwise. Throws when Redis cannot be reached,
 * so a misconfigured REDIS_URL stops the start instead of silently losing events.
 */
export async function connectAppPubSub(options: PubSubOptions): Promise<AppPubSub> {
  if (!options.redisUrl) {
    options.logger.info({ module: "realtime", transport: "in-process" }, "pub/sub ready");
    return createAppPubSub();
  }

  const target = await connectRedisEventTarget({
    url: options.redisUrl,
    channelPrefix: options.channelPrefix ?? DEFAULT_CHANNEL_PREFIX,
    logger: options.logger,
  });
  options.logger.info({ module: "realtime", transport: "redis" }, "pub/sub ready");

  return Object.assign(createPubSub<Topics>({ eventTarget: target as unknown as PubSubEventTarget<Topics> }), {
    whenSubscribed: () => target.whenSubscribed(),
    close: () => target.close(),
  });
}
