import { randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { encryptResource } from "./aead.js";
import { formatRfc3339, type SimulatorClock } from "./clock.js";
import { signatureKindOf, type FaultRegistry, type NotificationFault } from "./faults.js";
import type { SimulatorLogger } from "./logger.js";
import { isLoopbackUrl } from "./loopback.js";
import { selectNotificationKey, type PlatformKeys } from "./platform-keys.js";
import type { MerchantRecord } from "./store.js";
import { signResponse, type SignatureKind } from "./v3-signature.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Retry gaps after a failed payment or refund notification: 15 retries over 24 h 4 min. */
export const PAYMENT_RETRY_SCHEDULE_MS = [
  15 * SECOND, 15 * SECOND, 30 * SECOND, 3 * MINUTE, 10 * MINUTE, 20 * MINUTE, 30 * MINUTE, 30 * MINUTE,
  30 * MINUTE, 60 * MINUTE, 3 * HOUR, 3 * HOUR, 3 * HOUR, 6 * HOUR, 6 * HOUR,
];

/** Voucher callbacks are sent once a minute, 9 times in all, so 8 retries. */
export const COUPON_RETRY_SCHEDULE_MS = Array.from({ length: 8 }, () => MINUTE);

/** Transfer callbacks: 10 retries at 15 s, 10 at 5 min, then 44 at 30 min. */
export const TRANSFER_RETRY_SCHEDULE_MS = [
  ...Array.from({ length: 10 }, () => 15 * SECOND),
  ...Array.from({ length: 10 }, () => 5 * MINUTE),
  ...Array.from({ length: 44 }, () => 30 * MINUTE),
];

/** How long the simulator waits for a receiver before counting the attempt as failed. */
const DELIVERY_TIMEOUT_MS = 5 * SECOND;

export interface NotificationInput {
  mchid: string;
  url: string;
  eventType: string;
  summary: string;
  originalType: string;
  associatedData: string;
  resource: object;
}

/** One POST to a notify_url. `statusCode` is null when no HTTP response came back. */
export interface DeliveryRecord {
  notificationId: string;
  mchid: string;
  url: string;
  eventType: string;
  attempt: number;
  statusCode: number | null;
  error?: string;
  signature: SignatureKind;
  /** True for the extra copy sent by a `duplicate` fault. */
  duplicate: boolean;
  /** Business-clock time of the attempt. */
  at: string;
}

interface PendingNotification {
  id: string;
  input: NotificationInput;
  body: string;
  nextAttempt: number;
  schedule: number[];
  fault: NotificationFault | undefined;
  timer?: NodeJS.Timeout;
  held: boolean;
  inFlight: boolean;
}

export interface NotificationDispatcherOptions {
  clock: SimulatorClock;
  keys: PlatformKeys;
  faults: FaultRegistry;
  logger: SimulatorLogger;
  findMerchant: (mchid: string) => MerchantRecord | undefined;
  retryScheduleMs?: number[];
  /** Called when a notification is queued or leaves the queue, so a saved state can follow. */
  onPendingChange?: () => void;
}

/**
 * Delivers notifications the way WeChat Pay does: encrypted with the merchant's APIv3 key, signed
 * afresh on every attempt, and retried on a schedule until the receiver responds with 200 or 204.
 */
export class NotificationDispatcher {
  readonly deliveries: DeliveryRecord[] = [];

  private readonly pending = new Set<PendingNotification>();
  private readonly attemptsRunning = new Set<Promise<void>>();
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: NotificationDispatcherOptions) {}

  enqueue(input: NotificationInput): void {
    const merchant = this.options.findMerchant(input.mchid);
    if (merchant === undefined || this.closed) return;

    const createdAt = this.options.clock.now();
    const resource = encryptResource({
      apiV3Key: merchant.apiV3Key,
      plaintext: JSON.stringify(input.resource),
      associatedData: input.associatedData,
    });
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      create_time: formatRfc3339(createdAt),
      resource_type: "encrypt-resource",
      event_type: input.eventType,
      summary: input.summary,
      resource: { original_type: input.originalType, ...resource },
    });

    const fault = this.options.faults.takeNotificationFault(input.mchid, input.eventType);
    const notification: PendingNotification = {
      id,
      input,
      body,
      nextAttempt: 1,
      schedule: this.options.retryScheduleMs ?? defaultSchedule(input.eventType),
      fault,
      held: fault !== undefined && "outOfOrder" in fault,
      inFlight: false,
    };
    this.pending.add(notification);
    this.options.onPendingChange?.();
    this.options.logger.debug({ notificationId: id, mchid: input.mchid, eventType: input.eventType }, "notification queued");

    if (notification.held) return;
    const delayMs = fault !== undefined && "delayMs" in fault ? fault.delayMs : 0;
    this.schedule(notification, delayMs);
  }

  /** Starts every waiting attempt now, held ones included, and waits for those attempts to finish. */
  async flush(): Promise<void> {
    for (const notification of this.pending) {
      if (notification.inFlight) continue;
      clearTimeout(notification.timer);
      notification.held = false;
      this.startAttempt(notification);
    }
    await Promise.all([...this.attemptsRunning]);
  }

  /** Resolves once every notification is delivered or has used up its retries. */
  waitForIdle(timeoutMs = 10_000): Promise<void> {
    if (this.isIdle()) return Promise.resolve();

    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((waiter) => waiter !== done);
        reject(new Error(`notifications still pending after ${timeoutMs} ms: ${this.pending.size} undelivered`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.idleWaiters.push(done);
    });
  }

  pendingCount(): number {
    return this.pending.size;
  }

  /** What each undelivered notification was queued with, oldest first, for saving the simulator state. */
  pendingInputs(): NotificationInput[] {
    return [...this.pending].map((notification) => notification.input);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const notification of this.pending) clearTimeout(notification.timer);
    this.pending.clear();
    await Promise.allSettled([...this.attemptsRunning]);
    this.notifyIdle();
  }

  private schedule(notification: PendingNotification, delayMs: number): void {
    notification.timer = setTimeout(() => this.startAttempt(notification), delayMs);
    notification.timer.unref();
  }

  private startAttempt(notification: PendingNotification): void {
    if (this.closed || notification.inFlight || !this.pending.has(notification)) return;

    notification.inFlight = true;
    const running = this.attempt(notification).finally(() => {
      this.attemptsRunning.delete(running);
      notification.inFlight = false;
      this.notifyIdle();
    });
    this.attemptsRunning.add(running);
  }

  private async attempt(notification: PendingNotification): Promise<void> {
    const attempt = notification.nextAttempt;
    notification.nextAttempt += 1;

    const fault = attempt === 1 ? notification.fault : undefined;
    const kind = signatureKindOf(fault);
    const sends = [this.post(notification, attempt, kind, false)];
    if (fault !== undefined && "duplicate" in fault) sends.push(this.post(notification, attempt, kind, true));
    const [primary] = await Promise.all(sends);

    this.releaseHeld(notification.input.mchid, notification);

    if (primary === "delivered" || primary === "undeliverable" || this.closed) {
      this.pending.delete(notification);
      this.options.onPendingChange?.();
      return;
    }

    const gap = notification.schedule[attempt - 1];
    if (gap === undefined) {
      this.options.logger.warn(
        { notificationId: notification.id, mchid: notification.input.mchid, eventType: notification.input.eventType, attempts: attempt },
        "notification retries exhausted",
      );
      this.pending.delete(notification);
      this.options.onPendingChange?.();
      return;
    }
    this.schedule(notification, gap);
  }

  private async post(
    notification: PendingNotification,
    attempt: number,
    kind: SignatureKind,
    duplicate: boolean,
  ): Promise<"delivered" | "failed" | "undeliverable"> {
    const { input } = notification;
    const record: DeliveryRecord = {
      notificationId: notification.id,
      mchid: input.mchid,
      url: input.url,
      eventType: input.eventType,
      attempt,
      statusCode: null,
      signature: kind,
      duplicate,
      at: formatRfc3339(this.options.clock.now()),
    };

    const url = parseUrl(input.url);
    if (url === undefined || !isLoopbackUrl(url)) {
      // The simulator never reaches beyond this machine; such a URL is recorded and dropped.
      record.error = `not delivered: ${input.url} is not a loopback http(s) URL`;
      this.deliveries.push(record);
      this.options.logger.warn({ notificationId: notification.id, url: input.url }, "notification URL is not loopback");
      return "undeliverable";
    }

    const merchant = this.options.findMerchant(input.mchid);
    if (merchant === undefined) return "undeliverable";
    const key = selectNotificationKey(this.options.keys, merchant);
    const signed = signResponse({
      body: notification.body,
      timestampSeconds: Math.floor(this.options.clock.transportNow() / 1000),
      serial: key.serial,
      privateKey: key.privateKey,
      forgeryKey: this.options.keys.forgery.privateKey,
      kind,
    });

    try {
      record.statusCode = await postJson(url, notification.body, { ...signed });
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    }
    this.deliveries.push(record);
    this.options.logger.info(
      { notificationId: notification.id, mchid: input.mchid, eventType: input.eventType, attempt, statusCode: record.statusCode, error: record.error },
      "notification attempt finished",
    );

    return record.statusCode === 200 || record.statusCode === 204 ? "delivered" : "failed";
  }

  /** Out-of-order faults hold a notification until another one for the merchant has gone out. */
  private releaseHeld(mchid: string, after: PendingNotification): void {
    for (const notification of this.pending) {
      if (notification === after || !notification.held || notification.input.mchid !== mchid) continue;
      notification.held = false;
      this.startAttempt(notification);
    }
  }

  private isIdle(): boolean {
    const waiting = [...this.pending].filter((notification) => !notification.held);
    return waiting.length === 0 && this.attemptsRunning.size === 0;
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}

function defaultSchedule(eventType: string): number[] {
  if (eventType.startsWith("COUPON.")) return COUPON_RETRY_SCHEDULE_MS;
  if (eventType.startsWith("MCHTRANSFER.")) return TRANSFER_RETRY_SCHEDULE_MS;
  return PAYMENT_RETRY_SCHEDULE_MS;
}

function parseUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

function postJson(url: URL, body: string, headers: Record<string, string>): Promise<number> {
  const transport = url.protocol === "https:" ? https : http;

  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: "POST",
        timeout: DELIVERY_TIMEOUT_MS,
        headers: {
          ...headers,
          "Content-Type": "application/json",
          "Content-Length": String(Buffer.byteLength(body)),
          "User-Agent": "Mozilla/4.0",
          Accept: "*/*",
        },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`receiver timed out after ${DELIVERY_TIMEOUT_MS} ms`)));
    request.on("error", reject);
    request.end(body);
  });
}
