/**
 * Saves the simulator's keys and state to one JSON file and reads them back, so that merchant accounts
 * connected to an embedded simulator keep working across restarts of the server.
 */
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { SimulatorContext } from "./context.js";
import type { SimulatorLogger } from "./logger.js";
import type { NotificationInput } from "./notifications.js";
import { importRsaKeyPair, restoreCertificateAuthority, type IssuedCertificate } from "./pki.js";
import type { PlatformKeys } from "./platform-keys.js";
import {
  SimulatorStore,
  type CouponRecord,
  type CouponSendRecord,
  type CreationCounts,
  type MerchantRecord,
  type OrderRecord,
  type RedPacketRecord,
  type RefundRecord,
  type StockRecord,
  type TransferBillRecord,
} from "./store.js";

/** Version of the file layout below; a file of any other version is rejected, never guessed at. */
export const STATE_FILE_VERSION = 1;

const STATE_FILE_FORMAT = "wechatpay-simulator-state";

/** Default wait between a change and the save that follows it, in ms. */
const DEFAULT_SAVE_DELAY_MS = 500;

interface CertificateJson {
  serialNo: string;
  certificatePem: string;
  privateKeyPem: string;
  /** ISO 8601 instants. */
  notBefore: string;
  notAfter: string;
}

interface PlatformKeysJson {
  authority: { subject: string; certificate: CertificateJson };
  platformCertificate: CertificateJson;
  publicKeyId: string;
  publicKeyPrivatePem: string;
  tlsServer: CertificateJson;
  forgeryPrivatePem: string;
}

type MerchantJson = Omit<MerchantRecord, "certificate"> & { certificate: CertificateJson };
type StockJson = Omit<StockRecord, "issuedAmountByDay"> & { issuedAmountByDay: [string, number][] };

/** Version 1. Every map of the store is kept as its [key, value] entries, so keys need no re-deriving. */
interface StateFileV1 {
  format: typeof STATE_FILE_FORMAT;
  version: 1;
  savedAt: string;
  keys: PlatformKeysJson;
  /** Offset that `advanceTime` had added to the business clock, in ms. */
  businessOffsetMs: number;
  sequence: number;
  created: CreationCounts;
  merchants: [string, MerchantJson][];
  orders: [string, OrderRecord][];
  refunds: [string, RefundRecord][];
  stocks: [string, StockJson][];
  coupons: [string, CouponRecord][];
  couponSends: [string, CouponSendRecord][];
  redPackets: [string, RedPacketRecord][];
  transfers: [string, TransferBillRecord][];
  openidAppids: [string, string][];
  pendingNotifications: NotificationInput[];
}

export interface RestoredState {
  keys: PlatformKeys;
  store: SimulatorStore;
  businessOffsetMs: number;
  /** Notifications that were still undelivered when the state was saved. */
  pendingNotifications: NotificationInput[];
}

/** A state file that cannot be used; the message names the file and how to start afresh. */
export class SimulatorStateFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(
      `WeChat Pay simulator state file ${file} ${problem}. Delete the file to start the simulator with new keys and no ` +
        "merchants; merchant accounts connected to the old simulator must then be connected again.",
      options,
    );
    this.name = "SimulatorStateFileError";
  }
}

/** Serialises the keys and store of a running simulator as the version 1 JSON text. */
export function serializeState(context: SimulatorContext): string {
  const { keys, store } = context;
  const state: StateFileV1 = {
    format: STATE_FILE_FORMAT,
    version: 1,
    savedAt: new Date().toISOString(),
    keys: {
      authority: { subject: keys.authority.subject, certificate: certificateToJson(keys.authority.certificate) },
      platformCertificate: certificateToJson(keys.platformCertificate),
      publicKeyId: keys.publicKeyId,
      publicKeyPrivatePem: keys.publicKey.privateKeyPem,
      tlsServer: certificateToJson(keys.tlsServer),
      forgeryPrivatePem: keys.forgery.privateKeyPem,
    },
    businessOffsetMs: context.clock.businessOffsetMs(),
    sequence: store.lastSequence(),
    created: { ...store.created },
    merchants: [...store.merchants].map(([key, merchant]) => [key, { ...merchant, certificate: certificateToJson(merchant.certificate) }]),
    orders: [...store.orders],
    refunds: [...store.refunds],
    stocks: [...store.stocks].map(([key, stock]) => [key, { ...stock, issuedAmountByDay: [...stock.issuedAmountByDay] }]),
    coupons: [...store.coupons],
    couponSends: [...store.couponSends],
    redPackets: [...store.redPackets],
    transfers: [...store.transfers],
    openidAppids: [...store.openidAppids],
    pendingNotifications: context.notifications.pendingInputs(),
  };
  return JSON.stringify(state);
}

/**
 * Reads a state file written by `serializeState`. Returns undefined when the file does not exist; throws
 * SimulatorStateFileError when it cannot be read, is not valid JSON or has another version.
 */
export async function readStateFile(file: string): Promise<RestoredState | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new SimulatorStateFileError(file, `cannot be read (${(error as Error).message})`, { cause: error });
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SimulatorStateFileError(file, `is not valid JSON (${(error as Error).message})`, { cause: error });
  }

  const header = parsed as { format?: unknown; version?: unknown } | null;
  if (typeof header !== "object" || header === null || header.format !== STATE_FILE_FORMAT) {
    throw new SimulatorStateFileError(file, `is not a simulator state file (format is not "${STATE_FILE_FORMAT}")`);
  }
  if (header.version !== STATE_FILE_VERSION) {
    throw new SimulatorStateFileError(file, `has version ${JSON.stringify(header.version)}, but this server reads version ${STATE_FILE_VERSION} only`);
  }

  try {
    return await restoreState(parsed as StateFileV1);
  } catch (error) {
    throw new SimulatorStateFileError(file, `is damaged (${(error as Error).message})`, { cause: error });
  }
}

async function restoreState(state: StateFileV1): Promise<RestoredState> {
  const keys = await restoreKeys(state.keys);

  const store = new SimulatorStore();
  for (const [key, merchant] of entriesOf(state.merchants, "merchants")) {
    store.merchants.set(key, { ...merchant, certificate: await certificateFromJson(merchant.certificate) });
  }
  for (const [key, stock] of entriesOf(state.stocks, "stocks")) {
    store.stocks.set(key, { ...stock, issuedAmountByDay: new Map(entriesOf(stock.issuedAmountByDay, "issuedAmountByDay")) });
  }
  copyEntries(store.orders, entriesOf(state.orders, "orders"));
  copyEntries(store.refunds, entriesOf(state.refunds, "refunds"));
  copyEntries(store.coupons, entriesOf(state.coupons, "coupons"));
  copyEntries(store.couponSends, entriesOf(state.couponSends, "couponSends"));
  copyEntries(store.redPackets, entriesOf(state.redPackets, "redPackets"));
  copyEntries(store.transfers, entriesOf(state.transfers, "transfers"));
  copyEntries(store.openidAppids, entriesOf(state.openidAppids, "openidAppids"));
  Object.assign(store.created, state.created);
  store.restoreSequence(state.sequence);

  if (!Number.isSafeInteger(state.businessOffsetMs) || state.businessOffsetMs < 0) {
    throw new Error(`businessOffsetMs must be a non-negative integer, got ${JSON.stringify(state.businessOffsetMs)}`);
  }
  if (!Array.isArray(state.pendingNotifications)) throw new Error("pendingNotifications is not a list");

  return { keys, store, businessOffsetMs: state.businessOffsetMs, pendingNotifications: state.pendingNotifications };
}

async function restoreKeys(json: PlatformKeysJson): Promise<PlatformKeys> {
  if (typeof json !== "object" || json === null) throw new Error("keys are missing");

  const [authorityCertificate, platformCertificate, tlsServer, publicKey, forgery] = await Promise.all([
    certificateFromJson(json.authority.certificate),
    certificateFromJson(json.platformCertificate),
    certificateFromJson(json.tlsServer),
    importRsaKeyPair(json.publicKeyPrivatePem),
    importRsaKeyPair(json.forgeryPrivatePem),
  ]);
  if (typeof json.publicKeyId !== "string" || !json.publicKeyId.startsWith("PUB_KEY_ID_")) {
    throw new Error(`publicKeyId ${JSON.stringify(json.publicKeyId)} is not a WeChat Pay public key id`);
  }

  return {
    authority: restoreCertificateAuthority({ subject: json.authority.subject, certificate: authorityCertificate }),
    platformCertificate,
    publicKeyId: json.publicKeyId,
    publicKey,
    tlsServer,
    forgery,
  };
}

function certificateToJson(certificate: IssuedCertificate): CertificateJson {
  return {
    serialNo: certificate.serialNo,
    certificatePem: certificate.certificatePem,
    privateKeyPem: certificate.keyPair.privateKeyPem,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
  };
}

async function certificateFromJson(json: CertificateJson): Promise<IssuedCertificate> {
  if (typeof json?.certificatePem !== "string" || !json.certificatePem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new Error(`certificate ${JSON.stringify(json?.serialNo)} has no PEM certificate`);
  }

  const notBefore = new Date(json.notBefore);
  const notAfter = new Date(json.notAfter);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) {
    throw new Error(`certificate ${json.serialNo} has an invalid validity period`);
  }

  return {
    serialNo: json.serialNo,
    certificatePem: json.certificatePem,
    keyPair: await importRsaKeyPair(json.privateKeyPem),
    notBefore,
    notAfter,
  };
}

function entriesOf<T>(value: [string, T][], name: string): [string, T][] {
  const valid = Array.isArray(value) && value.every((entry) => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === "string");
  if (!valid) throw new Error(`${name} is not a list of [key, value] entries`);
  return value;
}

function copyEntries<T>(target: Map<string, T>, entries: [string, T][]): void {
  for (const [key, value] of entries) target.set(key, value);
}

/**
 * Saves the state a short while after it changes and once more on close. At most one save runs at a
 * time, and each writes a temporary file (mode 0600, because it contains private keys) and renames it over
 * the old one, so a crash leaves either the old state or the new one.
 */
export class StateFileWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly options: {
      file: string;
      serialize: () => string;
      logger: SimulatorLogger;
      /** Wait between the first change and its save, in ms. Changes in between are saved together. */
      delayMs?: number;
    },
  ) {}

  /** Schedules a save unless one is already scheduled. */
  markChanged(): void {
    if (this.closed || this.timer !== undefined) return;

    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, this.options.delayMs ?? DEFAULT_SAVE_DELAY_MS);
    this.timer.unref();
  }

  /** Saves now and stops scheduling saves; resolves once the file is written. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.save();
  }

  private save(): Promise<void> {
    // The text is taken now, in one synchronous step, so the file shows one consistent moment.
    const text = this.options.serialize();
    this.writing = this.writing.then(() =>
      writeFileAtomically(this.options.file, text).then(
        () => this.options.logger.debug({ file: this.options.file, bytes: Buffer.byteLength(text) }, "simulator state saved"),
        (error: unknown) => this.options.logger.error({ err: error, file: this.options.file }, "simulator state not saved"),
      ),
    );
    return this.writing;
  }
}

async function writeFileAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });

  const temporary = `${file}.${process.pid}.tmp`;
  await rm(temporary, { force: true });
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}
