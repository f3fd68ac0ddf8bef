import { beforeAll, describe, expect, it, vi } from "vitest";

import {
  WechatPayKeyStore,
  WechatPayVerificationError,
  verifySignedMessage,
  type WechatPayVerificationFailureReason,
} from "../../../src/wechatpay/index.js";
import { signedHeaders } from "./support/fake-wechatpay.js";
import { createTestCertificate, createTestPublicKeyPair, type TestCertificate } from "./support/keys.js";

const PUBLIC_KEY_ID = "PUB_KEY_ID_0000000000000024101100397200000006";
const NOW_MS = 1_700_000_000_500;
const NOW_SECONDS = Math.floor(NOW_MS / 1000);

let oldPlatform: TestCertificate;
let newPlatform: TestCertificate;
let publicKey: Awaited<ReturnType<typeof createTestPublicKeyPair>>;

beforeAll(async () => {
  [oldPlatform, newPlatform, publicKey] = await Promise.all([
    createTestCertificate({ serial: "3775b6a45acd588826d15e583a95f5dd00000001", commonName: "old" }),
    createTestCertificate({ serial: "3775b6a45acd588826d15e583a95f5dd00000002", commonName: "new" }),
    createTestPublicKeyPair(),
  ]);
});

function storeWith(certificates: TestCertificate[], withPublicKey = true): WechatPayKeyStore {
  return new WechatPayKeyStore({
    platformCertificatePems: certificates.map((certificate) => certificate.certificatePem),
    ...(withPublicKey ? { wechatPayPublicKeyId: PUBLIC_KEY_ID, wechatPayPublicKeyPem: publicKey.publicKeyPem } : {}),
    minRefreshIntervalMs: 60_000,
    now: () => NOW_MS,
  });
}

async function verify(store: WechatPayKeyStore, headers: Record<string, string>, body: Buffer) {
  return verifySignedMessage({ headers, body, resolveKey: (serial) => store.resolveKey(serial), nowMs: NOW_MS });
}

async function expectRejected(promise: Promise<unknown>, reason: WechatPayVerificationFailureReason): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WechatPayVerificationError);
  expect((error as WechatPayVerificationError).reason).toBe(reason);
}

const BODY = Buffer.from('{"prepay_id":"wx201410272009395522657a690389285100","note":"中文"}\n', "utf8");

describe("verifySignedMessage", () => {
  it("accepts a certificate-signed body", async () => {
    const headers = signedHeaders(oldPlatform, BODY, { timestamp: NOW_SECONDS });
    await expect(verify(storeWith([oldPlatform]), headers, BODY)).resolves.toEqual({
      serial: oldPlatform.serial,
      timestamp: NOW_SECONDS,
    });
  });

  it("accepts an empty 204 body", async () => {
    const empty = Buffer.alloc(0);
    const headers = signedHeaders(oldPlatform, empty, { timestamp: NOW_SECONDS });
    await expect(verify(storeWith([oldPlatform]), headers, empty)).resolves.toMatchObject({ serial: oldPlatform.serial });
  });

  it("rejects a tampered body", async () => {
    const headers = signedHeaders(oldPlatform, BODY, { timestamp: NOW_SECONDS });
    const tampered = Buffer.from(BODY.toString("utf8").replace("wx2014", "wx2015"), "utf8");
    await expectRejected(verify(storeWith([oldPlatform]), headers, tampered), "bad-signature");
  });

  it("rejects a body that lost its newline", async () => {
    const headers = signedHeaders(oldPlatform, BODY, { timestamp: NOW_SECONDS });
    await expectRejected(verify(storeWith([oldPlatform]), headers, BODY.subarray(0, BODY.length - 1)), "bad-signature");
  });

  it("rejects a signature by another key", async () => {
    const headers = { ...signedHeaders(newPlatform, BODY, { timestamp: NOW_SECONDS }), "Wechatpay-Serial": oldPlatform.serial };
    await expectRejected(verify(storeWith([oldPlatform, newPlatform]), headers, BODY), "bad-signature");
  });

  it("rejects garbage signatures", async () => {
    const headers = signedHeaders(oldPlatform, BODY, { timestamp: NOW_SECONDS, signatureOverride: "bm90IGEgc2lnbmF0dXJl" });
    await expectRejected(verify(storeWith([oldPlatform]), headers, BODY), "bad-signature");
  });

  it("rejects an unknown serial", async () => {
    const headers = signedHeaders(newPlatform, BODY, { timestamp: NOW_SECONDS });
    await expectRejected(verify(storeWith([oldPlatform]), headers, BODY), "unknown-serial");
  });

  it("rejects a SIGNTEST probe", async () => {
    const headers = signedHeaders(oldPlatform, BODY, {
      timestamp: NOW_SECONDS,
      signatureOverride: "WECHATPAY/SIGNTEST/cHJvYmUgc2lnbmF0dXJl",
    });
    await expectRejected(verify(storeWith([oldPlatform]), headers, BODY), "probe");
  });

  it("rejects missing headers", async () => {
    const headers = signedHeaders(oldPlatform, BODY, { timestamp: NOW_SECONDS });
    for (const name of ["Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature", "Wechatpay-Serial"]) {
      const partial = { ...headers };
      delete partial[name];
      await expectRejected(verify(storeWith([oldPlatform]), partial, BODY), "missing-header");
    }
  });

  it("rejects another signature type", async () => {
    const headers = { ...signedHeaders(oldPlatform, BODY, { timestamp: NOW_SECONDS }), "Wechatpay-Signature-Type": "WECHATPAY2-SM2-WITH-SM3" };
    await expectRejected(verify(storeWith([oldPlatform]), headers, BODY), "bad-signature");
  });

  it("reads headers case-insensitively and from Headers", async () => {
    const headers = signedHeaders(oldPlatform, BODY, { timestamp: NOW_SECONDS });
    const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    await expect(verify(storeWith([oldPlatform]), lower, BODY)).resolves.toBeDefined();
    await expect(
      verifySignedMessage({
        headers: new Headers(headers),
        body: BODY,
        resolveKey: (serial) => storeWith([oldPlatform]).resolveKey(serial),
        nowMs: NOW_MS,
      }),
    ).resolves.toBeDefined();
  });
});

describe("timestamp window", () => {
  const cases: Array<[offsetSeconds: number, accepted: boolean]> = [
    [-299, true],
    [-300, false],
    [-301, false],
    [299, true],
    [300, false],
    [3600, false],
    [0, true],
  ];

  for (const [offset, accepted] of cases) {
    it(`${accepted ? "accepts" : "rejects"} ${offset} s`, async () => {
      const headers = signedHeaders(oldPlatform, BODY, { timestamp: NOW_SECONDS + offset });
      const result = verify(storeWith([oldPlatform]), headers, BODY);
      if (accepted) {
        await expect(result).resolves.toBeDefined();
      } else {
        await expectRejected(result, "stale-timestamp");
      }
    });
  }

  it("rejects a millisecond timestamp", async () => {
    const headers = signedHeaders(oldPlatform, BODY, { timestamp: NOW_MS });
    await expectRejected(verify(storeWith([oldPlatform]), headers, BODY), "malformed");
  });
});

describe("key selection", () => {
  const publicKeySigner = () => ({ serial: PUBLIC_KEY_ID, privateKey: publicKey.privateKey });

  it("verifies PUB_KEY_ID serials with the public key", async () => {
    const headers = signedHeaders(publicKeySigner(), BODY, { timestamp: NOW_SECONDS });
    await expect(verify(storeWith([oldPlatform]), headers, BODY)).resolves.toMatchObject({ serial: PUBLIC_KEY_ID });
  });

  it("accepts certificates and public key side by side", async () => {
    const store = storeWith([oldPlatform]);
    await expect(verify(store, signedHeaders(publicKeySigner(), BODY, { timestamp: NOW_SECONDS }), BODY)).resolves.toBeDefined();
    await expect(verify(store, signedHeaders(oldPlatform, BODY, { timestamp: NOW_SECONDS }), BODY)).resolves.toBeDefined();
  });

  it("rejects another public key id", async () => {
    const headers = signedHeaders(
      { serial: "PUB_KEY_ID_0000000000000024101100397200000007", privateKey: publicKey.privateKey },
      BODY,
      { timestamp: NOW_SECONDS },
    );
    await expectRejected(verify(storeWith([oldPlatform]), headers, BODY), "unknown-serial");
  });

  it("never falls back from public key to certificate", async () => {
    const headers = signedHeaders({ serial: PUBLIC_KEY_ID, privateKey: oldPlatform.privateKey }, BODY, { timestamp: NOW_SECONDS });
    await expectRejected(verify(storeWith([oldPlatform]), headers, BODY), "bad-signature");
  });

  it("rejects PUB_KEY_ID without a configured public key", async () => {
    const headers = signedHeaders(publicKeySigner(), BODY, { timestamp: NOW_SECONDS });
    await expectRejected(verify(storeWith([oldPlatform], false), headers, BODY), "unknown-serial");
  });

  it("selects each of two rotating certificates by serial", async () => {
    const store = storeWith([oldPlatform, newPlatform]);
    await expect(verify(store, signedHeaders(oldPlatform, BODY, { timestamp: NOW_SECONDS }), BODY)).resolves.toMatchObject({
      serial: oldPlatform.serial,
    });
    await expect(verify(store, signedHeaders(newPlatform, BODY, { timestamp: NOW_SECONDS }), BODY)).resolves.toMatchObject({
      serial: newPlatform.serial,
    });
  });

  it("matches serials regardless of case and leading zeros", async () => {
    const store = storeWith([oldPlatform]);
    const headers = { ...signedHeaders(oldPlatform, BODY, { timestamp: NOW_SECONDS }) };
    headers["Wechatpay-Serial"] = `00${oldPlatform.serial.toLowerCase()}`;
    await expect(verify(store, headers, BODY)).resolves.toBeDefined();
  });
});

describe("WechatPayKeyStore refresh", () => {
  it("downloads on an unknown serial once per interval", async () => {
    let now = NOW_MS;
    const store = new WechatPayKeyStore({
      platformCertificatePems: [oldPlatform.certificatePem],
      minRefreshIntervalMs: 60_000,
      now: () => now,
    });
    const refresher = vi.fn(async () => undefined);
    store.setRefresher(refresher);

    expect(await store.resolveKey(newPlatform.serial)).toBeUndefined();
    expect(await store.resolveKey(newPlatform.serial)).toBeUndefined();
    expect(refresher).toHaveBeenCalledTimes(1);

    now += 60_000;
    expect(await store.resolveKey(newPlatform.serial)).toBeUndefined();
    expect(refresher).toHaveBeenCalledTimes(2);
  });

  it("finds a certificate the download added", async () => {
    const store = new WechatPayKeyStore({ minRefreshIntervalMs: 60_000, now: () => NOW_MS });
    store.setRefresher(async () => {
      store.addCertificatePem(newPlatform.certificatePem);
    });
    expect(await store.resolveKey(newPlatform.serial)).toBeDefined();
  });

  it("shares one download between concurrent lookups", async () => {
    const store = new WechatPayKeyStore({ minRefreshIntervalMs: 60_000, now: () => NOW_MS });
    const refresher = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      store.addCertificatePem(newPlatform.certificatePem);
    });
    store.setRefresher(refresher);
    const keys = await Promise.all([store.resolveKey(newPlatform.serial), store.resolveKey(newPlatform.serial)]);
    expect(keys.every((key) => key !== undefined)).toBe(true);
    expect(refresher).toHaveBeenCalledTimes(1);
  });

  it("never downloads for public key ids", async () => {
    const store = storeWith([oldPlatform]);
    const refresher = vi.fn(async () => undefined);
    store.setRefresher(refresher);
    expect(await store.resolveKey("PUB_KEY_ID_0000000000000000000000000000000001")).toBeUndefined();
    expect(refresher).not.toHaveBeenCalled();
  });
});
