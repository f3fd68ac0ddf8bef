/**
 * WeChat Pay simulator: a loopback APIv3 server (JSON, signed requests and responses), an APIv2
 * server (XML over mutual TLS) and a `/_simulator` control API. Tests create merchants, drive customer
 * actions, arm faults and read state through the `WechatPaySimulator` that `startSimulator` returns.
 */
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { SimulatorClock } from "./clock.js";
import type { SimulatorContext } from "./context.js";
import { getMerchantOrThrow } from "./context.js";
import { handleControlRequest } from "./control-api.js";
import { SimulatorListenError, SimulatorUsageError } from "./errors.js";
import { FaultRegistry, type FaultInput } from "./faults.js";
import { newOpenid } from "./ids.js";
import { silentLogger, type SimulatorLogger } from "./logger.js";
import { assertLoopbackHost, formatHostForUrl, type LoopbackHost } from "./loopback.js";
import { createMerchant, type CreateMerchantInput, type SimulatedMerchantConfig } from "./merchants.js";
import { NotificationDispatcher, type DeliveryRecord } from "./notifications.js";
import { payOrder, expireDueOrders, type PayOrderInput } from "./payments.js";
import { readStateFile, serializeState, StateFileWriter } from "./persistence.js";
import { createPlatformKeys } from "./platform-keys.js";
import { expireDueRedPackets, openRedPacket } from "./red-packets.js";
import { createStateView, type SimulatorState, type StockView } from "./state-views.js";
import { SimulatorStore, type SigningMode, type StockStatus } from "./store.js";
import { confirmTransfer, expireDueTransfers, rejectTransfer } from "./transfers.js";
import { handleV2Request } from "./v2-server.js";
import { handleV3Request } from "./v3-server.js";
import { createStock, expireDueCoupons, updateStockStatus, type CreateStockInput } from "./vouchers.js";
import type { JsonObject } from "./validation.js";
import type { V2Element } from "./v2-xml.js";

export type { CreateMerchantInput, SimulatedMerchantConfig } from "./merchants.js";
export type { CreateStockInput } from "./vouchers.js";
export type { PayOrderInput } from "./payments.js";
export type { FaultInput, ApiFault, NotificationFault, ApiOperation } from "./faults.js";
export type { DeliveryRecord } from "./notifications.js";
export type { SimulatorState } from "./state-views.js";
export type { SimulatorLogger } from "./logger.js";
export { SimulatorListenError } from "./errors.js";
export { SimulatorStateFileError, STATE_FILE_VERSION } from "./persistence.js";
export { PAYMENT_RETRY_SCHEDULE_MS, COUPON_RETRY_SCHEDULE_MS, TRANSFER_RETRY_SCHEDULE_MS } from "./notifications.js";

export interface StartSimulatorOptions {
  /** Loopback address to listen on; anything else is rejected. Default 127.0.0.1. */
  host?: LoopbackHost;
  /** APIv3 (HTTP, JSON) port; 0 picks a free one. */
  port?: number;
  /** APIv2 (HTTPS, mutual TLS) port; 0 picks a free one. */
  v2Port?: number;
  /** Base clock in ms; `advanceTime` adds to it for business time. Default `Date.now`. */
  now?: () => number;
  /** Gaps between notification retries in ms, for every event type. Default: WeChat Pay's schedules. */
  notifyRetryScheduleMs?: number[];
  logger?: SimulatorLogger;
  /**
   * JSON file that keeps keys, merchants and all other state across restarts. An existing file is loaded
   * at start; changes are saved about 500 ms after they happen and on close. Unset keeps state in memory.
   */
  stateFile?: string;
}

export interface PlatformInfo {
  certificateSerialNo: string;
  certificatePem: string;
  publicKeyId: string;
  publicKeyPem: string;
}

/** Customer actions in WeChat, plus time travel. */
export interface SimulatedCustomer {
  /** A new openid bound to this AppID; other openids are accepted for any AppID. */
  openid(appid: string): string;
  payOrder(mchid: string, outTradeNo: string, input?: PayOrderInput): JsonObject;
  openRedPacket(mchid: string, mchBillno: string): V2Element;
  confirmTransfer(mchid: string, outBillNo: string): JsonObject;
  /** Fails the transfer at confirmation with this fail_reason (default PAYEE_ACCOUNT_ABNORMAL). */
  rejectTransfer(mchid: string, outBillNo: string, failReason?: string): JsonObject;
  /** Moves business time forward and applies expiries: orders at time_expire, red packets and transfers after 24 h. */
  advanceTime(ms: number): void;
}

export interface SimulatorFaults {
  inject(input: FaultInput): void;
  clear(): void;
}

export interface SimulatorNotifications {
  /** Every delivery attempt so far, oldest first. */
  readonly deliveries: readonly DeliveryRecord[];
  /** Runs every waiting attempt now (held and scheduled retries included) and waits for them. */
  flush(): Promise<void>;
  /** Resolves once every notification is delivered or out of retries; rejects after timeoutMs. */
  waitForIdle(timeoutMs?: number): Promise<void>;
}

export interface WechatPaySimulator {
  /** http://HOST:PORT, the APIv3 base URL and the home of the `/_simulator` control API. */
  apiBaseUrl: string;
  /** https://HOST:PORT2, APIv2 over mutual TLS. */
  apiV2BaseUrl: string;
  /** CA that issued the APIv2 server certificate and every merchant certificate. */
  tlsCaPem: string;
  platform: PlatformInfo;
  createMerchant(input?: CreateMerchantInput): Promise<SimulatedMerchantConfig>;
  /** Adds fen to the merchant's operating account (a negative amount withdraws) and returns the balance. */
  topUpBalance(mchid: string, amount: number): number;
  /** Switches the key that signs responses and notifications, as the public-key migration does. */
  setSigningMode(mchid: string, signingMode: SigningMode): void;
  createStock(mchid: string, input: CreateStockInput): StockView;
  setStockStatus(mchid: string, stockId: string, status: StockStatus): StockView;
  customer: SimulatedCustomer;
  faults: SimulatorFaults;
  notifications: SimulatorNotifications;
  state: SimulatorState;
  advanceTime(ms: number): void;
  close(): Promise<void>;
}

export async function startSimulator(options: StartSimulatorOptions = {}): Promise<WechatPaySimulator> {
  const host = options.host ?? "127.0.0.1";
  assertLoopbackHost(host);
  if (options.notifyRetryScheduleMs?.some((gap) => !Number.isFinite(gap) || gap < 0)) {
    throw new SimulatorUsageError("notifyRetryScheduleMs must contain non-negative numbers of ms");
  }

  const clock = new SimulatorClock(options.now ?? Date.now);
  const logger = options.logger ?? silentLogger;

  // The saved state is read before anything listens, so a damaged file stops start-up at once.
  const saved = options.stateFile === undefined ? undefined : await readStateFile(options.stateFile);
  if (saved !== undefined) clock.advance(saved.businessOffsetMs);
  const store = saved?.store ?? new SimulatorStore();
  const faults = new FaultRegistry();
  const keys = saved?.keys ?? (await createPlatformKeys(clock.transportNow()));

  let stateWriter: StateFileWriter | undefined;
  const markChanged = (): void => stateWriter?.markChanged();
  const notifications = new NotificationDispatcher({
    clock,
    keys,
    faults,
    logger,
    findMerchant: (mchid) => store.merchants.get(mchid),
    retryScheduleMs: options.notifyRetryScheduleMs,
    onPendingChange: markChanged,
  });
  const context: SimulatorContext = { clock, store, keys, faults, notifications, logger };
  if (options.stateFile !== undefined) {
    stateWriter = new StateFileWriter({ file: options.stateFile, serialize: () => serializeState(context), logger });
  }

  /** Wraps an operation that may change state so that a save follows it. */
  const changing =
    <A extends unknown[], R>(operation: (...args: A) => R) =>
    (...args: A): R => {
      const result = operation(...args);
      markChanged();
      return result;
    };

  const urls = { apiBaseUrl: "", apiV2BaseUrl: "" };
  let simulator: WechatPaySimulator | undefined;

  const v3Server = http.createServer((request, response) => {
    // Reads change state too (they apply due expiries), so every finished request schedules a save.
    response.once("close", markChanged);
    const handler = request.url?.startsWith("/_simulator")
      ? handleControlRequest(simulator!, request, response)
      : handleV3Request(context, request, response);
    handler.catch((error: unknown) => {
      logger.error({ err: error, url: request.url }, "request handling failed");
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  const v2Server = https.createServer(
    {
      key: keys.tlsServer.keyPair.privateKeyPem,
      cert: keys.tlsServer.certificatePem,
      ca: [keys.authority.certificate.certificatePem],
      // The certificate is checked per request so a missing one gets WeChat Pay's CA_ERROR response
      // instead of a failed handshake.
      requestCert: true,
      rejectUnauthorized: false,
    },
    (request, response) => {
      response.once("close", markChanged);
      handleV2Request(context, request, response).catch((error: unknown) => {
        logger.error({ err: error, url: request.url }, "request handling failed");
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    },
  );

  let v3Port: number;
  let v2Port: number;
  try {
    v3Port = await listen(v3Server, { api: "APIv3", host, port: options.port ?? 0 });
    v2Port = await listen(v2Server, { api: "APIv2", host, port: options.v2Port ?? 0 });
  } catch (error) {
    await Promise.all([closeServer(v3Server), closeServer(v2Server)]);
    await notifications.close();
    throw error;
  }
  urls.apiBaseUrl = `http://${formatHostForUrl(host)}:${v3Port}`;
  urls.apiV2BaseUrl = `https://${formatHostForUrl(host)}:${v2Port}`;

  const advanceTime = changing((ms: number): void => {
    clock.advance(ms);
    expireDueOrders(context);
    expireDueCoupons(context);
    expireDueRedPackets(context);
    expireDueTransfers(context);
  });

  simulator = {
    apiBaseUrl: urls.apiBaseUrl,
    apiV2BaseUrl: urls.apiV2BaseUrl,
    tlsCaPem: keys.authority.certificate.certificatePem,
    platform: {
      certificateSerialNo: keys.platformCertificate.serialNo,
      certificatePem: keys.platformCertificate.certificatePem,
      publicKeyId: keys.publicKeyId,
      publicKeyPem: keys.publicKey.publicKeyPem,
    },
    createMerchant: async (input) => {
      const config = await createMerchant(context, urls, input);
      markChanged();
      return config;
    },
    topUpBalance: changing((mchid: string, amount: number) => {
      const merchant = getMerchantOrThrow(context, mchid);
      if (!Number.isSafeInteger(amount)) throw new SimulatorUsageError(`amount must be an integer number of fen, got ${amount}`);
      if (merchant.balance + amount < 0) throw new SimulatorUsageError(`balance of ${mchid} cannot go below 0`);
      merchant.balance += amount;
      return merchant.balance;
    }),
    setSigningMode: changing((mchid: string, signingMode: SigningMode) => {
      if (signingMode !== "certificate" && signingMode !== "publicKey") throw new SimulatorUsageError(`unknown signing mode ${String(signingMode)}`);
      getMerchantOrThrow(context, mchid).signingMode = signingMode;
    }),
    createStock: changing((mchid: string, input: CreateStockInput) => createStock(context, mchid, input)),
    setStockStatus: changing((mchid: string, stockId: string, status: StockStatus) => updateStockStatus(context, mchid, stockId, status)),
    customer: {
      openid: changing((appid: string) => {
        const openid = newOpenid();
        store.openidAppids.set(openid, appid);
        return openid;
      }),
      payOrder: changing((mchid: string, outTradeNo: string, input?: PayOrderInput) => payOrder(context, mchid, outTradeNo, input)),
      openRedPacket: changing((mchid: string, mchBillno: string) => openRedPacket(context, mchid, mchBillno)),
      confirmTransfer: changing((mchid: string, outBillNo: string) => confirmTransfer(context, mchid, outBillNo)),
      rejectTransfer: changing((mchid: string, outBillNo: string, failReason?: string) => rejectTransfer(context, mchid, outBillNo, failReason)),
      advanceTime,
    },
    faults: {
      inject: (input) => faults.inject(input),
      clear: () => faults.clear(),
    },
    notifications: {
      get deliveries() {
        return notifications.deliveries;
      },
      flush: () => notifications.flush(),
      waitForIdle: (timeoutMs) => notifications.waitForIdle(timeoutMs),
    },
    state: createStateView(context),
    advanceTime,
    async close() {
      await Promise.all([closeServer(v3Server), closeServer(v2Server)]);
      // Saved before the dispatcher drops its queue, so undelivered notifications are in the file.
      await stateWriter?.close();
      await notifications.close();
      logger.info({ apiBaseUrl: urls.apiBaseUrl }, "simulator stopped");
    },
  };

  if (saved !== undefined) {
    // NOTE: a restored notification starts its retry schedule again from the first attempt, with a new id;
    // faults and holds armed on it, and the record of earlier deliveries, are not saved.
    for (const input of saved.pendingNotifications) notifications.enqueue(input);
    logger.info({ stateFile: options.stateFile, merchants: store.merchants.size, pendingNotifications: saved.pendingNotifications.length }, "simulator state loaded");
  }

  logger.info({ apiBaseUrl: urls.apiBaseUrl, apiV2BaseUrl: urls.apiV2BaseUrl }, "simulator started");
  return simulator;
}

function listen(server: http.Server, target: { api: "APIv3" | "APIv2"; host: string; port: number }): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException): void => {
      reject(new SimulatorListenError(target.api, target.host, target.port, error.code, { cause: error }));
    };
    server.once("error", fail);
    server.listen(target.port, target.host, () => {
      server.off("error", fail);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
