import { Redis } from "ioredis";
import type { Logger } from "../logging/logger.js";

type Listener = EventListenerOrEventListenerObject;

export interface RedisEventTarget {
  addEventListener(type: string, listener: Listener | null): void;
  removeEventListener(type: string, listener: Listener | null): void;
  dispatchEvent(event: Event): boolean;
  /** Resolves once every command sent so far, SUBSCRIBE included, has completed on Redis. */
  whenSubscribed(): Promise<void>;
  close(): Promise<void>;
}

export interface RedisEventTargetOptions {
  url: string;
  /** Prepended to every topic to form the Redis channel name. */
  channelPrefix: string;
  logger: Logger;
}

/** Connection errors repeat on every reconnect attempt; one log line per this many ms is enough. */
const ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * An EventTarget for @graphql-yoga/subscription whose events travel over Redis pub/sub, so every server
 * instance receives what any of them dispatches. Event details are sent as JSON. It uses two
 * connections, because a connection in subscriber mode cannot publish.
 *
 * Written here instead of using @graphql-yoga/redis-event-target 3.0.4 because that package has no
 * channel prefix, leaves SUBSCRIBE and PUBLISH failures as unhandled rejections, and gives no way to
 * wait until a subscription is active.
 */
export async function connectRedisEventTarget(options: RedisEventTargetOptions): Promise<RedisEventTarget> {
  const { channelPrefix, logger } = options;
  const clientOptions = { lazyConnect: true, maxRetriesPerRequest: 3 };
  const publisher = new Redis(options.url, { ...clientOptions, connectionName: "bff-publish" });
  const subscriber = new Redis(options.url, { ...clientOptions, connectionName: "bff-subscribe" });

  watchErrors(publisher, "publish", logger);
  watchErrors(subscriber, "subscribe", logger);

  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    // The URL may carry a password, so only the error itself is reported.
    throw new Error(`Redis at REDIS_URL could not be reached: ${(error as Error).message}`, { cause: error });
  }
  logger.info({ module: "realtime", channelPrefix }, "connected to Redis");

  const listenersByTopic = new Map<string, Set<Listener>>();
  const pendingCommands = new Set<Promise<unknown>>();
  let closed = false;

  const track = (command: Promise<unknown>, action: string, topic: string) => {
    const tracked = command.then(
      () => undefined,
      (error: unknown) => logger.error({ module: "realtime", err: error, topic }, `Redis ${action} failed`),
    );
    pendingCommands.add(tracked);
    void tracked.finally(() => pendingCommands.delete(tracked));
  };

  subscriber.on("message", (channel: string, message: string) => {
    if (!channel.startsWith(channelPrefix)) return;
    const topic = channel.slice(channelPrefix.length);
    const listeners = listenersByTopic.get(topic);
    if (!listeners) return;

    let detail: unknown;
    try {
      detail = message === "" ? null : JSON.parse(message);
    } catch (error) {
      logger.warn({ module: "realtime", err: error, topic }, "ignored a Redis message that is not JSON");
      return;
    }

    const event = new CustomEvent(topic, { detail });
    for (const listener of listeners) {
      if (typeof listener === "function") listener(event);
      else listener.handleEvent(event);
    }
  });

  return {
    addEventListener(topic, listener) {
      if (!listener || closed) return;
      let listeners = listenersByTopic.get(topic);
      if (!listeners) {
        listeners = new Set();
        listenersByTopic.set(topic, listeners);
        track(subscriber.subscribe(channelPrefix + topic), "SUBSCRIBE", topic);
      }
      listeners.add(listener);
    },

    removeEventListener(topic, listener) {
      const listeners = listenersByTopic.get(topic);
      if (!listener || !listeners) return;
      listeners.delete(listener);
      if (listeners.size > 0) return;
      listenersByTopic.delete(topic);
      if (!closed) track(subscriber.unsubscribe(channelPrefix + topic), "UNSUBSCRIBE", topic);
    },

    dispatchEvent(event) {
      if (closed) return false;
      const detail = (event as CustomEvent<unknown>).detail;
      const message = detail === undefined || detail === null ? "" : JSON.stringify(detail);
      track(publisher.publish(channelPrefix + event.type, message), "PUBLISH", event.type);
      return true;
    },

    async whenSubscribed() {
      await Promise.all([...pendingCommands]);
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...pendingCommands]);
      listenersByTopic.clear();
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
      logger.info({ module: "realtime" }, "disconnected from Redis");
    },
  };
}

function watchErrors(client: Redis, role: string, logger: Logger): void {
  let lastLoggedAt = 0;
  let suppressed = 0;
  client.on("error", (error: Error) => {
    const now = Date.now();
    if (now - lastLoggedAt < ERROR_LOG_INTERVAL_MS) {
      suppressed += 1;
      return;
    }
    logger.error({ module: "realtime", connection: role, err: error, suppressedSinceLast: suppressed }, "Redis connection error");
    lastLoggedAt = now;
    suppressed = 0;
  });
}
