import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";

export interface CredentialInput {
  mchid: string;
  officialAccountAppid: string;
  miniProgramAppid?: string | null;
  apiV3Key: string;
  apiV2Key: string;
  merchantSerialNo: string;
  merchantPrivateKeyPem: string;
  merchantCertificatePem: string;
  wechatPayPublicKeyId?: string | null;
  wechatPayPublicKeyPem?: string | null;
  platformCertificatePems?: string[] | null;
}

/** A problem with one field, as a message key plus the values it names. */
export interface CredentialProblem {
  field: string;
  code: string;
  key:
    | "merchant.invalidMchid"
    | "merchant.invalidAppid"
    | "merchant.invalidApiKey"
    | "merchant.invalidPrivateKey"
    | "merchant.invalidCertificate"
    | "merchant.serialMismatch"
    | "merchant.keyPairMismatch"
    | "merchant.certificateExpired"
    | "merchant.invalidPublicKey"
    | "merchant.publicKeyIdMissing";
  params: Record<string, string | number>;
}

export interface CheckedCredentials {
  merchantSerialNo: string;
  certificateExpiresAt: Date;
  platformCertificates: { serialNo: string; expiresAt: string }[];
}

const MCHID_PATTERN = /^\d{6,32}$/;
const APPID_PATTERN = /^wx[0-9a-f]{16}$/;
const API_KEY_PATTERN = /^[\x21-\x7e]{32}$/;

/**
 * Check merchant credentials offline before anything is saved: formats, that the private key and the
 * certificate belong together, that the serial is the certificate's, and that the certificate is valid
 * now. Never echoes a secret value in a problem.
 */
export function checkCredentials(input: CredentialInput, now: Date): { problems: CredentialProblem[]; checked?: CheckedCredentials } {
  const problems: CredentialProblem[] = [];
  const problem = (field: string, code: string, key: CredentialProblem["key"], params: CredentialProblem["params"] = {}) =>
    problems.push({ field, code, key, params: { field, ...params } });

  if (!MCHID_PATTERN.test(input.mchid)) problem("mchid", "INVALID_MCHID", "merchant.invalidMchid", { value: input.mchid });
  if (!APPID_PATTERN.test(input.officialAccountAppid)) {
    problem("officialAccountAppid", "INVALID_APPID", "merchant.invalidAppid", { value: input.officialAccountAppid });
  }
  if (input.miniProgramAppid && !APPID_PATTERN.test(input.miniProgramAppid)) {
    problem("miniProgramAppid", "INVALID_APPID", "merchant.invalidAppid", { value: input.miniProgramAppid });
  }
  if (!API_KEY_PATTERN.test(input.apiV3Key)) {
    problem("apiV3Key", "INVALID_API_KEY", "merchant.invalidApiKey", { length: input.apiV3Key.length });
  }
  if (!API_KEY_PATTERN.test(input.apiV2Key)) {
    problem("apiV2Key", "INVALID_API_KEY", "merchant.invalidApiKey", { length: input.apiV2Key.length });
  }

  let privateKey;
  try {
    privateKey = createPrivateKey(input.merchantPrivateKeyPem);
    if (privateKey.asymmetricKeyType !== "rsa") throw new Error("not RSA");
  } catch {
    problem("merchantPrivateKeyPem", "INVALID_PRIVATE_KEY", "merchant.invalidPrivateKey");
  }

  let certificate: X509Certificate | undefined;
  try {
    certificate = new X509Certificate(input.merchantCertificatePem);
  } catch {
    problem("merchantCertificatePem", "INVALID_CERTIFICATE", "merchant.invalidCertificate");
  }

  const serial = input.merchantSerialNo.trim().toUpperCase();
  if (certificate) {
    if (certificate.serialNumber.toUpperCase() !== serial) {
      problem("merchantSerialNo", "SERIAL_MISMATCH", "merchant.serialMismatch", {
        value: input.merchantSerialNo,
        expected: certificate.serialNumber.toUpperCase(),
      });
    }
    if (new Date(certificate.validTo) <= now) {
      problem("merchantCertificatePem", "CERTIFICATE_EXPIRED", "merchant.certificateExpired", { date: new Date(certificate.validTo).toISOString() });
    }
    if (privateKey && !createPublicKey(privateKey).equals(certificate.publicKey)) {
      problem("merchantPrivateKeyPem", "KEY_PAIR_MISMATCH", "merchant.keyPairMismatch");
    }
  }

  if (input.wechatPayPublicKeyPem) {
    try {
      createPublicKey(input.wechatPayPublicKeyPem);
    } catch {
      problem("wechatPayPublicKeyPem", "INVALID_PUBLIC_KEY", "merchant.invalidPublicKey");
    }
    if (!input.wechatPayPublicKeyId?.startsWith("PUB_KEY_ID_")) {
      problem("wechatPayPublicKeyId", "PUBLIC_KEY_ID_MISSING", "merchant.publicKeyIdMissing");
    }
  }

  const platformCertificates: CheckedCredentials["platformCertificates"] = [];
  for (const [index, pem] of (input.platformCertificatePems ?? []).entries()) {
    try {
      const platform = new X509Certificate(pem);
      platformCertificates.push({ serialNo: platform.serialNumber.toUpperCase(), expiresAt: new Date(platform.validTo).toISOString() });
    } catch {
      problem(`platformCertificatePems.${index}`, "INVALID_CERTIFICATE", "merchant.invalidCertificate");
    }
  }

  if (problems.length > 0 || !certificate) return { problems };
  return {
    problems,
    checked: { merchantSerialNo: serial, certificateExpiresAt: new Date(certificate.validTo), platformCertificates },
  };
}
