import { tenantScope, type RequestContext } from "../../graphql/context.js";
import { DomainError } from "../../graphql/errors.js";
import { parseGlobalId } from "../../graphql/relay/global-id.js";
import { issuanceVersion, type CampaignIssuancePayload } from "../../realtime/campaign-issuance.js";
import { findCampaignById } from "../campaigns/campaign.repository.js";
import { loadIssuanceCounts } from "./campaign-stats.repository.js";

/**
 * Open the stream behind `campaignIssuanceUpdated`: the current counts first, then every newer set
 * published for the campaign by any instance. A set is delivered only when its version is greater than
 * the last one delivered, so a set that arrives late from a slower instance cannot replace newer counts.
 */
export async function subscribeToCampaignIssuance(
  ctx: RequestContext,
  campaignGlobalId: string,
): Promise<AsyncIterableIterator<CampaignIssuancePayload>> {
  const scope = tenantScope(ctx);
  const campaignId = parseGlobalId("Campaign", campaignGlobalId, "campaignId");
  const campaign = await findCampaignById(scope, campaignId);
  if (!campaign) {
    throw new DomainError("NOT_FOUND", "CAMPAIGN_NOT_FOUND", "campaign.notFound", { id: campaignGlobalId }, { field: "campaignId" });
  }

  // Listen before reading the snapshot, so an update committed in between is not lost: the pub/sub
  // registers its listener on the first next() call.
  const updates = ctx.services.pubsub.subscribe("CAMPAIGN_ISSUANCE_UPDATED", campaignId);
  const firstUpdate = updates.next();
  await ctx.services.pubsub.whenSubscribed();

  let counts;
  try {
    counts = await loadIssuanceCounts(scope, campaignId);
  } catch (error) {
    await updates.return();
    throw error;
  }
  const snapshot: CampaignIssuancePayload = {
    tenantId: scope.tenantId,
    campaignId,
    counts,
    version: issuanceVersion(counts),
    countedAt: ctx.services.now().toISOString(),
  };

  let lastVersion = snapshot.version;
  const isNewer = (payload: CampaignIssuancePayload) => {
    if (payload.tenantId !== scope.tenantId || payload.version <= lastVersion) return false;
    lastVersion = payload.version;
    return true;
  };

  return startWith(snapshot, updates, firstUpdate, isNewer);
}

/**
 * Wrap `source` in an iterator that yields `first`, then the values of `source` that `accept` keeps. Its
 * return() stops the source at once, even while a next() call is waiting, so an unsubscribing client
 * releases its listener immediately.
 */
function startWith<T>(
  first: T,
  source: AsyncIterator<T>,
  pendingNext: Promise<IteratorResult<T>>,
  accept: (value: T) => boolean,
): AsyncIterableIterator<T> {
  let firstSent = false;
  let pending: Promise<IteratorResult<T>> | undefined = pendingNext;

  return {
    async next(): Promise<IteratorResult<T>> {
      if (!firstSent) {
        firstSent = true;
        return { done: false, value: first };
      }
      for (;;) {
        const result = await (pending ?? source.next());
        pending = undefined;
        if (result.done || accept(result.value)) return result;
      }
    },

    async return(): Promise<IteratorResult<T>> {
      await source.return?.();
      return { done: true, value: undefined };
    },

    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
