import { createPrivateKey, createPublicKey, webcrypto, type KeyObject } from "node:crypto";

import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const RSA_ALGORITHM = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

export interface TestCertificate {
  /** Upper-case hex, as WeChat Pay writes serials. */
  serial: string;
  certificatePem: string;
  privateKeyPem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
}

function toPem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`;
}

/** Generates an RSA-2048 key pair and a self-signed certificate; nothing here is a real key. */
export async function createTestCertificate(options: {
  serial: string;
  commonName: string;
  ipAddress?: string;
  notBefore?: Date;
}): Promise<TestCertificate> {
  const keys = (await webcrypto.subtle.generateKey(RSA_ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
  const notBefore = options.notBefore ?? new Date(Date.now() - 24 * 3600 * 1000);
  const extensions: x509.Extension[] = [];
  if (options.ipAddress !== undefined) {
    extensions.push(new x509.SubjectAlternativeNameExtension([{ type: "ip", value: options.ipAddress }]));
  }

  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: options.serial,
    name: `CN=${options.commonName}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 365 * 24 * 3600 * 1000),
    signingAlgorithm: RSA_ALGORITHM,
    keys,
    extensions,
  });

  const privateKeyPem = toPem("PRIVATE KEY", await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
  const publicKey = createPublicKey(certificate.toString("pem"));
  return {
    serial: options.serial.toUpperCase(),
    certificatePem: certificate.toString("pem"),
    privateKeyPem,
    privateKey: createPrivateKey(privateKeyPem),
    publicKey,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** Generates a bare RSA key pair, standing in for the WeChat Pay public key (`pub_key.pem`). */
export async function createTestPublicKeyPair(): Promise<{ privateKey: KeyObject; publicKeyPem: string }> {
  const keys = (await webcrypto.subtle.generateKey(RSA_ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
  const privateKeyPem = toPem("PRIVATE KEY", await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
  const publicKeyPem = toPem("PUBLIC KEY", await webcrypto.subtle.exportKey("spki", keys.publicKey));
  return { privateKey: createPrivateKey(privateKeyPem), publicKeyPem };
}
