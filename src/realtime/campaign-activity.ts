import type { Logger } from "../logging/logger.js";
import { issuanceVersion, type IssuanceCounts } from "./campaign-issuance.js";
import type { AppPubSub } from "./pubsub.js";

/** Shortest gap between two publications for one campaign from one instance, in ms. */
export const DEFAULT_PUBLISH_INTERVAL_MS = 250;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CampaignActivityFeed {
  /** Note that a campaign's events changed; see notifyCampaignActivity. */
  notify(tenantId: string, campaignId: string): void;
  /** Publish what is still pending, then stop; later notifications are ignored. */
  close(): Promise<void>;
}

export interface CampaignActivityFeedOptions {
  pubsub: AppPubSub;
  logger: Logger;
  /** Read a campaign's current counts from the database. */
  loadCounts: (tenantId: string, campaignId: string) => Promise<IssuanceCounts>;
  intervalMs?: number;
  now?: () => Date;
}

/**
 * Tell live dashboards that a campaign's customer events changed. Call it after the transaction that
 * recorded the events has committed, with the campaign's row id (not its global id). It returns at once:
 * the counts are read and published in the background.
 *
 * Calls are coalesced per campaign: the first one publishes on the next tick, and later ones at most once
 * per 250 ms. The publication after the last call of a burst reads the counts after that call, so it
 * carries the final counts.
 */
export function notifyCampaignActivity(
  services: { campaignActivity: CampaignActivityFeed },
  tenantId: string,
  campaignId: string,
): void {
  services.campaignActivity.notify(tenantId, campaignId);
}

interface CampaignState {
  tenantId: string;
  campaignId: string;
  /** A notification arrived that no read has covered yet. */
  dirty: boolean;
  timer: NodeJS.Timeout | undefined;
  publishing: Promise<void> | undefined;
  lastVersion: number | undefined;
}

export function createCampaignActivityFeed(options: CampaignActivityFeedOptions): CampaignActivityFeed {
  const intervalMs = options.intervalMs ?? DEFAULT_PUBLISH_INTERVAL_MS;
  const now = options.now ?? (() => new Date());
  const logger = options.logger.child({ module: "realtime" });
  const states = new Map<string, CampaignState>();
  let closed = false;

  async function publish(state: CampaignState): Promise<void> {
    state.dirty = false;
    try {
      const counts = await options.loadCounts(state.tenantId, state.campaignId);
      const version = issuanceVersion(counts);
      if (version === state.lastVersion) return;

      state.lastVersion = version;
      options.pubsub.publish("CAMPAIGN_ISSUANCE_UPDATED", state.campaignId, {
        tenantId: state.tenantId,
        campaignId: state.campaignId,
        counts,
        version,
        countedAt: now().toISOString(),
      });
    } catch (error) {
      logger.error(
        { err: error, tenantId: state.tenantId, campaignId: state.campaignId },
        "reading campaign issuance counts failed; live dashboards miss this update",
      );
    }
  }

  // Runs on the next tick after a quiet campaign is notified, then once per interval while notifications
  // keep arriving. An interval without any notification drops the campaign's state.
  function onTimer(key: string, state: CampaignState): void {
    state.timer = undefined;
    if (!state.dirty) {
      states.delete(key);
      return;
    }

    state.publishing = publish(state).finally(() => {
      state.publishing = undefined;
      if (!closed) state.timer = setTimeout(() => onTimer(key, state), intervalMs);
    });
  }

  return {
    notify(tenantId, campaignId) {
      if (closed) return;
      if (!UUID_PATTERN.test(campaignId)) {
        logger.warn({ tenantId, campaignId }, "notifyCampaignActivity needs the campaign's row id (a UUID); ignored");
        return;
      }

      const key = `${tenantId}\u0000${campaignId}`;
      let state = states.get(key);
      if (!state) {
        state = { tenantId, campaignId, dirty: false, timer: undefined, publishing: undefined, lastVersion: undefined };
        states.set(key, state);
      }
      state.dirty = true;
      if (state.timer || state.publishing) return;

      const current = state;
      state.timer = setTimeout(() => onTimer(key, current), 0);
    },

    async close() {
      if (closed) return;
      closed = true;
      const finishing: Promise<void>[] = [];
      for (const state of states.values()) {
        clearTimeout(state.timer);
        state.timer = undefined;
        const pending = state.publishing ?? Promise.resolve();
        finishing.push(pending.then(() => (state.dirty ? publish(state) : undefined)));
      }
      await Promise.all(finishing);
      states.clear();
    },
  };
}
