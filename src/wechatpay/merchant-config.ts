/**
 * Everything the WeChat Pay client needs to act for one merchant. The server decrypts these from the
 * merchant account record just before use; nothing here is ever logged or returned to an API caller.
 */
export interface WechatPayMerchantConfig {
  mchid: string;

  /** 32 ASCII characters; decrypts notification resources and platform certificates (AEAD_AES_256_GCM). */
  apiV3Key: string;

  /** 32 characters; signs APIv2 (XML) requests with MD5 or HMAC-SHA256. */
  apiV2Key: string;

  /** Serial of the merchant API certificate (apiclient_cert.pem), upper-case hex. */
  merchantSerialNo: string;

  /** Merchant API private key, PKCS#8 PEM; signs APIv3 requests and requestPayment parameters. */
  merchantPrivateKeyPem: string;

  /** Merchant API certificate PEM; presented as the TLS client certificate on APIv2 calls. */
  merchantCertificatePem: string;

  /** WeChat Pay public key and its id (`PUB_KEY_ID_…`), for merchants in public-key mode. */
  wechatPayPublicKeyId?: string;
  wechatPayPublicKeyPem?: string;

  /** Platform certificates known in advance; more are downloaded from /v3/certificates when needed. */
  platformCertificatePems?: string[];

  /** APIv3 base URL without a trailing slash, such as https://api.mch.weixin.qq.com or a simulator. */
  apiBaseUrl: string;

  /** APIv2 base URL (mutual TLS); defaults to apiBaseUrl. */
  apiV2BaseUrl?: string;

  /** Extra trust anchor for the API's TLS certificate; only a simulator needs one. */
  tlsCaPem?: string;
}
