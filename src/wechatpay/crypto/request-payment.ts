import type { KeyObject } from "node:crypto";

import { signSha256WithRsa } from "./rsa-signature.js";

/** The object a JSAPI page passes to `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` or `wx.requestPayment`. */
export interface RequestPaymentParams {
  appId: string;
  /** Unix time in seconds, as a string. */
  timeStamp: string;
  nonceStr: string;
  /** `prepay_id=<prepay_id>` */
  package: string;
  signType: "RSA";
  paySign: string;
}

/** Builds the four-line paySign message: appId, timeStamp, nonceStr and package, each ending in "\n". */
export function buildPaySignMessage(appId: string, timeStamp: string, nonceStr: string, packageValue: string): string {
  return `${appId}\n${timeStamp}\n${nonceStr}\n${packageValue}\n`;
}

/** Signs the payment parameters for a prepay_id with the merchant API private key. */
export function signRequestPayment(input: {
  appid: string;
  prepay_id: string;
  privateKey: KeyObject;
  timestamp: number;
  nonce: string;
}): RequestPaymentParams {
  const timeStamp = String(input.timestamp);
  const packageValue = `prepay_id=${input.prepay_id}`;
  const paySign = signSha256WithRsa(
    input.privateKey,
    buildPaySignMessage(input.appid, timeStamp, input.nonce, packageValue),
  );
  return {
    appId: input.appid,
    timeStamp,
    nonceStr: input.nonce,
    package: packageValue,
    signType: "RSA",
    paySign,
  };
}
