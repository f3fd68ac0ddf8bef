// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API loaded first.
import "reflect-metadata";
import { createPrivateKey, createPublicKey, randomBytes, webcrypto, type KeyObject } from "node:crypto";
import * as x509 from "@peculiar/x509";

// @peculiar/x509 signs through WebCrypto; Node's implementation is complete enough for RSA certificates.
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const RSA_ALGORITHM = {
  name: "RSASSA-PKCS1-v1_5",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: "SHA-256",
};

const DAY_MS = 86_400_000;

/** An RSA 2048 key pair, kept both as PEM (what a merchant downloads) and as Node key objects (for signing). */
export interface RsaKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  cryptoKeys: CryptoKeyPair;
}

/** A certificate with its key; `serialNo` is upper-case hex as WeChat Pay prints serials. */
export interface IssuedCertificate {
  serialNo: string;
  certificatePem: string;
  keyPair: RsaKeyPair;
  notBefore: Date;
  notAfter: Date;
}

export async function generateRsaKeyPair(): Promise<RsaKeyPair> {
  const cryptoKeys = (await webcrypto.subtle.generateKey(RSA_ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", cryptoKeys.privateKey));
  const spki = Buffer.from(await webcrypto.subtle.exportKey("spki", cryptoKeys.publicKey));
  const privateKeyPem = toPem("PRIVATE KEY", pkcs8);
  const publicKeyPem = toPem("PUBLIC KEY", spki);

  return {
    privateKeyPem,
    publicKeyPem,
    privateKey: createPrivateKey(privateKeyPem),
    publicKey: createPublicKey(publicKeyPem),
    cryptoKeys,
  };
}

/** Rebuilds a key pair from its PKCS#8 PEM private key; the public half is derived from it. */
export async function importRsaKeyPair(privateKeyPem: string): Promise<RsaKeyPair> {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const algorithm = { name: RSA_ALGORITHM.name, hash: RSA_ALGORITHM.hash };
  const cryptoKeys = {
    privateKey: await webcrypto.subtle.importKey("pkcs8", privateKey.export({ type: "pkcs8", format: "der" }), algorithm, true, ["sign"]),
    publicKey: await webcrypto.subtle.importKey("spki", publicKey.export({ type: "spki", format: "der" }), algorithm, true, ["verify"]),
  } as CryptoKeyPair;

  return {
    privateKeyPem,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }) as string,
    privateKey,
    publicKey,
    cryptoKeys,
  };
}

/**
 * Creates a positive serial of 20 bytes. The first byte stays below 0x80 so that DER does not need a
 * leading zero, which keeps the hex that @peculiar/x509 reports equal to the one generated here.
 */
export function generateSerialNo(): string {
  const bytes = randomBytes(20);
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return bytes.toString("hex").toUpperCase();
}

export interface CertificateAuthority {
  /** Distinguished name, written as the issuer of every certificate this authority issues. */
  subject: string;
  certificate: IssuedCertificate;
  issue(input: IssueCertificateInput): Promise<IssuedCertificate>;
}

export interface IssueCertificateInput {
  subject: string;
  validityDays: number;
  /** Key usage: a TLS server, a TLS client, or a signing-only certificate such as a platform certificate. */
  usage: "server" | "client" | "signing";
  /** Subject alternative names, only for server certificates. */
  ipAddresses?: string[];
  dnsNames?: string[];
  notBefore: Date;
}

export async function createCertificateAuthority(input: { subject: string; notBefore: Date }): Promise<CertificateAuthority> {
  const keyPair = await generateRsaKeyPair();
  const serialNo = generateSerialNo();
  const notAfter = new Date(input.notBefore.getTime() + 3650 * DAY_MS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNo,
    name: input.subject,
    notBefore: input.notBefore,
    notAfter,
    keys: keyPair.cryptoKeys,
    signingAlgorithm: RSA_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keyPair.cryptoKeys.publicKey),
    ],
  });
  const authority: IssuedCertificate = {
    serialNo,
    certificatePem: certificate.toString("pem"),
    keyPair,
    notBefore: input.notBefore,
    notAfter,
  };

  return restoreCertificateAuthority({ subject: input.subject, certificate: authority });
}

/** Rebuilds an authority from its subject and its certificate with key, as a saved state contains them. */
export function restoreCertificateAuthority(input: { subject: string; certificate: IssuedCertificate }): CertificateAuthority {
  return {
    subject: input.subject,
    certificate: input.certificate,
    issue: (issueInput) => issueCertificate(input.certificate, input.subject, issueInput),
  };
}

async function issueCertificate(
  authority: IssuedCertificate,
  issuerName: string,
  input: IssueCertificateInput,
): Promise<IssuedCertificate> {
  const keyPair = await generateRsaKeyPair();
  const serialNo = generateSerialNo();
  const notAfter = new Date(input.notBefore.getTime() + input.validityDays * DAY_MS);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    await x509.AuthorityKeyIdentifierExtension.create(authority.keyPair.cryptoKeys.publicKey),
  ];

  if (input.usage === "server") {
    extensions.push(
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...(input.ipAddresses ?? []).map((value) => ({ type: "ip" as const, value })),
        ...(input.dnsNames ?? []).map((value) => ({ type: "dns" as const, value })),
      ]),
    );
  } else if (input.usage === "client") {
    extensions.push(
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    );
  } else {
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true));
  }

  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNo,
    subject: input.subject,
    issuer: issuerName,
    notBefore: input.notBefore,
    notAfter,
    publicKey: keyPair.cryptoKeys.publicKey,
    signingKey: authority.keyPair.cryptoKeys.privateKey,
    signingAlgorithm: RSA_ALGORITHM,
    extensions,
  });

  return { serialNo, certificatePem: certificate.toString("pem"), keyPair, notBefore: input.notBefore, notAfter };
}

function toPem(label: string, der: Buffer): string {
  const body = der.toString("base64").match(/.{1,64}/g)!.join("\n");
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}
