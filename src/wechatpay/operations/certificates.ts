import { X509Certificate } from "node:crypto";

import type { CallOptions, ClientContext } from "../context.js";
import { decryptAeadAes256Gcm } from "../crypto/aead.js";
import { WechatPayVerificationError } from "../errors.js";
import type { WechatPayResult } from "../result.js";
import type { HeaderSource } from "../verification/headers.js";
import { normalizeCertificateSerial } from "../verification/key-store.js";
import { verifySignedMessage } from "../verification/signed-message.js";
import { callV3, parseJsonObject } from "../transport/v3-call.js";

/** A platform certificate, decrypted. */
export interface PlatformCertificate {
  serial_no: string;
  effective_time: string;
  expire_time: string;
  certificate_pem: string;
}

interface EncryptedCertificateList {
  data: Array<{
    serial_no: string;
    effective_time: string;
    expire_time: string;
    encrypt_certificate: {
      algorithm: string;
      nonce: string;
      associated_data?: string;
      ciphertext: string;
    };
  }>;
}

/**
 * Downloads the platform certificates (`GET /v3/certificates`), decrypts them with the APIv3 key and adds
 * them to the client's key store. The response may be signed by a certificate it carries, which is sound
 * because only WeChat Pay and the merchant hold the APIv3 key that authenticated the decryption.
 */
export async function downloadCertificates(
  context: ClientContext,
  options?: CallOptions,
): Promise<WechatPayResult<PlatformCertificate[]>> {
  let decrypted: PlatformCertificate[] = [];

  const verifyWithDownloaded = async (headers: HeaderSource, body: Buffer): Promise<void> => {
    let list: EncryptedCertificateList;
    try {
      list = parseJsonObject<EncryptedCertificateList>(body);
    } catch (error) {
      throw new WechatPayVerificationError("malformed", `certificate list is not JSON: ${(error as Error).message}`);
    }
    decrypted = decryptCertificateList(context, list);
    const downloaded = new Map(
      decrypted.map((certificate) => [certificate.serial_no, new X509Certificate(certificate.certificate_pem).publicKey]),
    );
    await verifySignedMessage({
      headers,
      body,
      nowMs: context.now(),
      resolveKey: async (serial) =>
        context.keyStore.findKey(serial) ?? downloaded.get(normalizeCertificateSerial(serial)),
    });
  };

  const result = await callV3(context, {
    operation: "downloadCertificates",
    family: "certificate",
    effect: "read",
    method: "GET",
    pathAndQuery: "/v3/certificates",
    verify: verifyWithDownloaded,
    parse: () => decrypted,
    options,
  });

  if (result.ok) {
    for (const certificate of result.value) context.keyStore.addCertificatePem(certificate.certificate_pem);
  }
  return result;
}

function decryptCertificateList(context: ClientContext, list: EncryptedCertificateList): PlatformCertificate[] {
  if (!Array.isArray(list.data)) {
    throw new WechatPayVerificationError("malformed", "certificate list has no data array");
  }

  return list.data.map((item) => {
    const encrypted = item.encrypt_certificate;
    if (encrypted?.algorithm !== "AEAD_AES_256_GCM") {
      throw new WechatPayVerificationError("malformed", `unsupported certificate encryption ${String(encrypted?.algorithm)}`);
    }

    const certificatePem = decryptAeadAes256Gcm(context.config.apiV3Key, encrypted);
    let serial: string;
    try {
      serial = normalizeCertificateSerial(new X509Certificate(certificatePem).serialNumber);
    } catch {
      throw new WechatPayVerificationError("malformed", `certificate ${item.serial_no} is not a valid X.509 PEM`);
    }
    if (serial !== normalizeCertificateSerial(item.serial_no)) {
      throw new WechatPayVerificationError(
        "malformed",
        `certificate serial ${serial} does not match the listed serial_no ${item.serial_no}`,
      );
    }

    return {
      serial_no: item.serial_no,
      effective_time: item.effective_time,
      expire_time: item.expire_time,
      certificate_pem: certificatePem,
    };
  });
}
