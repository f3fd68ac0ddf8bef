import { encryptResource } from "./aead.js";
import { formatRfc3339 } from "./clock.js";
import type { SimulatorContext } from "./context.js";
import { V3ApiError } from "./errors.js";
import type { V3Request, V3Result } from "./v3-types.js";

/**
 * GET /v3/certificates: platform certificates encrypted with the caller's APIv3 key. Merchants in
 * public-key mode have none to download.
 */
export function downloadCertificates(context: SimulatorContext, request: V3Request): V3Result {
  if (request.merchant.signingMode === "publicKey") {
    throw new V3ApiError("RESOURCE_NOT_EXISTS", "无可用的平台证书，请在商户平台-API安全申请使用微信支付公钥");
  }

  const certificate = context.keys.platformCertificate;
  const encrypted = encryptResource({
    apiV3Key: request.merchant.apiV3Key,
    plaintext: certificate.certificatePem,
    associatedData: "certificate",
  });

  return {
    status: 200,
    body: {
      data: [
        {
          serial_no: certificate.serialNo,
          effective_time: formatRfc3339(certificate.notBefore.getTime()),
          expire_time: formatRfc3339(certificate.notAfter.getTime()),
          encrypt_certificate: encrypted,
        },
      ],
    },
  };
}
