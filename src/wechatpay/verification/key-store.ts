import { createPublicKey, X509Certificate, type KeyObject } from "node:crypto";

import { WechatPayProgrammingError } from "../errors.js";

export const PUBLIC_KEY_ID_PREFIX = "PUB_KEY_ID_";

/** Upper-case hex without leading zeros, so serials from headers and from X.509 parsing compare equal. */
export function normalizeCertificateSerial(serial: string): string {
  const upper = serial.trim().toUpperCase();
  const stripped = upper.replace(/^0+/, "");
  return stripped === "" ? "0" : stripped;
}

export interface KeyStoreOptions {
  wechatPayPublicKeyId?: string;
  wechatPayPublicKeyPem?: string;
  platformCertificatePems?: readonly string[];
  /** Minimum time between two certificate downloads triggered by unknown serials. */
  minRefreshIntervalMs: number;
  /** Milliseconds since the epoch. */
  now: () => number;
}

/**
 * The keys that may verify WeChat Pay's signatures: platform certificates by serial and the WeChat Pay
 * public key by its exact `PUB_KEY_ID_…` id. A serial selects exactly one key; there is no fallback.
 */
export class WechatPayKeyStore {
  private readonly certificates = new Map<string, KeyObject>();
  private readonly publicKey?: { id: string; key: KeyObject };
  private readonly minRefreshIntervalMs: number;
  private readonly now: () => number;
  private refresher?: () => Promise<void>;
  private lastRefreshAt = Number.NEGATIVE_INFINITY;
  private refreshInFlight?: Promise<void>;

  constructor(options: KeyStoreOptions) {
    this.minRefreshIntervalMs = options.minRefreshIntervalMs;
    this.now = options.now;

    const { wechatPayPublicKeyId: id, wechatPayPublicKeyPem: pem } = options;
    if ((id === undefined) !== (pem === undefined)) {
      throw new WechatPayProgrammingError("wechatPayPublicKeyId and wechatPayPublicKeyPem must be set together");
    }
    if (id !== undefined && pem !== undefined) {
      this.publicKey = { id, key: createPublicKey(pem) };
    }

    for (const certificatePem of options.platformCertificatePems ?? []) {
      this.addCertificatePem(certificatePem);
    }
  }

  /** Sets the download that runs when a response names a serial the store does not hold. */
  setRefresher(refresher: () => Promise<void>): void {
    this.refresher = refresher;
  }

  /** Adds a platform certificate and returns its normalized serial. */
  addCertificatePem(certificatePem: string): string {
    const certificate = new X509Certificate(certificatePem);
    const serial = normalizeCertificateSerial(certificate.serialNumber);
    this.certificates.set(serial, certificate.publicKey);
    return serial;
  }

  /** Normalized serials of the platform certificates held now. */
  certificateSerials(): string[] {
    return [...this.certificates.keys()];
  }

  /** Returns the key for a `Wechatpay-Serial` value without downloading anything. */
  findKey(serial: string): KeyObject | undefined {
    if (this.publicKey !== undefined && serial === this.publicKey.id) return this.publicKey.key;
    if (serial.startsWith(PUBLIC_KEY_ID_PREFIX)) return undefined;
    return this.certificates.get(normalizeCertificateSerial(serial));
  }

  /**
   * Returns the key for a `Wechatpay-Serial` value. An unknown certificate serial triggers one
   * certificate download, at most once per `minRefreshIntervalMs`; public key ids never do.
   */
  async resolveKey(serial: string): Promise<KeyObject | undefined> {
    const known = this.findKey(serial);
    if (known !== undefined || serial.startsWith(PUBLIC_KEY_ID_PREFIX) || this.refresher === undefined) {
      return known;
    }

    if (this.refreshInFlight === undefined) {
      if (this.now() - this.lastRefreshAt < this.minRefreshIntervalMs) return undefined;
      this.lastRefreshAt = this.now();
      this.refreshInFlight = this.refresher().finally(() => {
        this.refreshInFlight = undefined;
      });
    }

    try {
      await this.refreshInFlight;
    } catch {
      // The refresher logs its own failure; the serial simply stays unknown.
    }
    return this.findKey(serial);
  }
}
