import { createVerify } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import {
  buildAuthorizationHeader,
  buildPaySignMessage,
  buildRequestSignatureMessage,
  buildResponseSignatureMessage,
  buildV2SignString,
  signRequestPayment,
  signV2,
  verifyV2Signature,
} from "../../../src/wechatpay/index.js";
import { createTestCertificate, type TestCertificate } from "./support/keys.js";
import { parseAuthorization } from "./support/merchant.js";

// The sample fields and key of WeChat Pay's APIv2 signature documentation.
const V2_EXAMPLE_FIELDS = {
  appid: "wxd930ea5d5a258f4f",
  mch_id: "10000100",
  device_info: "1000",
  body: "test",
  nonce_str: "ibuaiVcKdpRxkhJA",
};
const V2_EXAMPLE_KEY = "192006250b4c09247ec02edce69f6a2d";

describe("APIv2 sign", () => {
  it("builds the documented sign string", () => {
    expect(buildV2SignString(V2_EXAMPLE_FIELDS)).toBe(
      "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA",
    );
  });

  it("matches the documented MD5 sign", () => {
    expect(signV2(V2_EXAMPLE_FIELDS, V2_EXAMPLE_KEY, "MD5")).toBe("9A0A8659F005D6984697E2CA0A9CF3B7");
  });

  it("matches the documented HMAC-SHA256 sign", () => {
    expect(signV2(V2_EXAMPLE_FIELDS, V2_EXAMPLE_KEY, "HMAC-SHA256")).toBe(
      "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6",
    );
  });

  it("skips empty fields and the sign field", () => {
    const withExtras = { ...V2_EXAMPLE_FIELDS, attach: "", sign: "IGNORED", detail: undefined };
    expect(signV2(withExtras, V2_EXAMPLE_KEY, "MD5")).toBe("9A0A8659F005D6984697E2CA0A9CF3B7");
  });

  it("sorts names by ASCII, upper case first", () => {
    expect(buildV2SignString({ b: "1", B: "2", a_b: "3", ab: "4" })).toBe("B=2&a_b=3&ab=4&b=1");
  });

  it("verifies MD5 and HMAC-SHA256 signs by length", () => {
    expect(verifyV2Signature({ ...V2_EXAMPLE_FIELDS, sign: "9A0A8659F005D6984697E2CA0A9CF3B7" }, V2_EXAMPLE_KEY)).toBe(true);
    expect(
      verifyV2Signature(
        { ...V2_EXAMPLE_FIELDS, sign: "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6" },
        V2_EXAMPLE_KEY,
      ),
    ).toBe(true);
  });

  it("rejects a changed field or a wrong key", () => {
    const sign = "9A0A8659F005D6984697E2CA0A9CF3B7";
    expect(verifyV2Signature({ ...V2_EXAMPLE_FIELDS, body: "test2", sign }, V2_EXAMPLE_KEY)).toBe(false);
    expect(verifyV2Signature({ ...V2_EXAMPLE_FIELDS, sign }, "00000000000000000000000000000000")).toBe(false);
    expect(verifyV2Signature({ ...V2_EXAMPLE_FIELDS }, V2_EXAMPLE_KEY)).toBe(false);
    expect(verifyV2Signature({ ...V2_EXAMPLE_FIELDS, sign: "ABC" }, V2_EXAMPLE_KEY)).toBe(false);
  });
});

describe("APIv3 request signature", () => {
  let merchant: TestCertificate;

  beforeAll(async () => {
    merchant = await createTestCertificate({ serial: "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C", commonName: "1900009191" });
  });

  it("lays out the documented GET /v3/certificates message", () => {
    const message = buildRequestSignatureMessage({
      method: "GET",
      canonicalUrl: "/v3/certificates",
      timestamp: 1554208460,
      nonce: "593BEC0C930BF1AFEB40B4A08C8FB242",
      body: "",
    });
    expect(message).toBe("GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n");
  });

  it("keeps the query and appends a newline after a body ending in one", () => {
    const message = buildRequestSignatureMessage({
      method: "post",
      canonicalUrl: "/v3/pay/transactions/id/1217752501201407033233368018?mchid=1230000109",
      timestamp: 1,
      nonce: "n",
      body: "Hello World!\n",
    });
    expect(message).toBe(
      "POST\n/v3/pay/transactions/id/1217752501201407033233368018?mchid=1230000109\n1\nn\nHello World!\n\n",
    );
  });

  it("builds a verifiable Authorization header", () => {
    const header = buildAuthorizationHeader({
      mchid: "1900009191",
      merchantSerialNo: merchant.serial,
      privateKey: merchant.privateKey,
      method: "POST",
      canonicalUrl: "/v3/pay/transactions/jsapi",
      timestamp: 1554208460,
      nonce: "593BEC0C930BF1AFEB40B4A08C8FB242",
      body: '{"a":1}',
    });

    expect(header).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="[^"]+",timestamp="\d+",serial_no="[^"]+",signature="[^"]+"$/);
    const auth = parseAuthorization(header);
    expect(auth.serial_no).toBe(merchant.serial);
    expect(auth.timestamp).toBe("1554208460");

    const verifier = createVerify("RSA-SHA256");
    verifier.update('POST\n/v3/pay/transactions/jsapi\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n{"a":1}\n');
    expect(verifier.verify(merchant.publicKey, auth.signature!, "base64")).toBe(true);
  });

  it("lays out the response message over raw bytes", () => {
    expect(buildResponseSignatureMessage("1554209980", "c5ac7061fccab6bf3e254dcf98995b8c", Buffer.alloc(0)).toString()).toBe(
      "1554209980\nc5ac7061fccab6bf3e254dcf98995b8c\n\n",
    );
    const body = Buffer.from('{"k":"中文"}', "utf8");
    expect(buildResponseSignatureMessage("1", "n", body)).toEqual(Buffer.concat([Buffer.from("1\nn\n"), body, Buffer.from("\n")]));
  });
});

describe("requestPayment paySign", () => {
  it("lays out four lines", () => {
    expect(buildPaySignMessage("wx8888888888888888", "1414561699", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", "prepay_id=wx201410272009395522657a690389285100")).toBe(
      "wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n",
    );
  });

  it("signs with the merchant key and RSA sign type", async () => {
    const merchant = await createTestCertificate({ serial: "01", commonName: "m" });
    const params = signRequestPayment({
      appid: "wx8888888888888888",
      prepay_id: "wx201410272009395522657a690389285100",
      privateKey: merchant.privateKey,
      timestamp: 1414561699,
      nonce: "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
    });

    expect(params).toMatchObject({
      appId: "wx8888888888888888",
      timeStamp: "1414561699",
      nonceStr: "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
      package: "prepay_id=wx201410272009395522657a690389285100",
      signType: "RSA",
    });
    const verifier = createVerify("RSA-SHA256");
    verifier.update(buildPaySignMessage(params.appId, params.timeStamp, params.nonceStr, params.package));
    expect(verifier.verify(merchant.publicKey, params.paySign, "base64")).toBe(true);
  });
});
