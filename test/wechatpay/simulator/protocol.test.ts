import { describe, expect, it } from "vitest";
import { encryptResource } from "../../../src/wechatpay/simulator/aead.js";
import { formatRfc3339, shanghaiDay } from "../../../src/wechatpay/simulator/clock.js";
import { buildV2Xml, computeV2Sign, parseV2Xml } from "../../../src/wechatpay/simulator/v2-xml.js";
import { buildRequestMessage, buildResponseMessage, parseAuthorization } from "../../../src/wechatpay/simulator/v3-signature.js";
import { decryptResource } from "./support/decrypt.js";

// The example from WeChat Pay's APIv2 signing guide, with its published MD5 and HMAC-SHA256 results.
const V2_EXAMPLE = {
  fields: { appid: "wxd930ea5d5a258f4f", mch_id: "10000100", device_info: "1000", body: "test", nonce_str: "ibuaiVcKdpRxkhJA" },
  key: "192006250b4c09247ec02edce69f6a2d",
};

describe("computeV2Sign", () => {
  it("matches the published MD5 example", () => {
    expect(computeV2Sign(V2_EXAMPLE.fields, V2_EXAMPLE.key, "MD5")).toBe("9A0A8659F005D6984697E2CA0A9CF3B7");
  });

  it("matches the published HMAC-SHA256 example", () => {
    expect(computeV2Sign(V2_EXAMPLE.fields, V2_EXAMPLE.key, "HMAC-SHA256")).toBe(
      "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6",
    );
  });

  it("skips empty fields and sign", () => {
    const withExtras = { ...V2_EXAMPLE.fields, attach: "", sign: "ANYTHING" };

    expect(computeV2Sign(withExtras, V2_EXAMPLE.key, "MD5")).toBe("9A0A8659F005D6984697E2CA0A9CF3B7");
  });
});

describe("v2 XML", () => {
  it("round-trips CDATA text", () => {
    const xml = buildV2Xml({ return_code: "SUCCESS", wishing: "恭喜发财 ]]> & <", total_amount: 100 });

    expect(parseV2Xml(xml)).toEqual({ return_code: "SUCCESS", wishing: "恭喜发财 ]]> & <", total_amount: "100" });
  });

  it("rejects entity declarations", () => {
    expect(parseV2Xml('<!DOCTYPE xml [<!ENTITY a "b">]><xml><a>&a;</a></xml>')).toBeUndefined();
  });

  it("rejects nested request fields", () => {
    expect(parseV2Xml("<xml><a><b>1</b></a></xml>")).toBeUndefined();
  });
});

describe("parseAuthorization", () => {
  const header =
    'WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",timestamp="1554208460",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",signature="c2ln"';

  it("reads the five parameters", () => {
    expect(parseAuthorization(header)).toEqual({
      mchid: "1900009191",
      nonce_str: "593BEC0C930BF1AFEB40B4A08C8FB242",
      timestamp: "1554208460",
      serial_no: "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",
      signature: "c2ln",
    });
  });

  it("rejects another scheme", () => {
    expect(typeof parseAuthorization(header.replace("WECHATPAY2-SHA256-RSA2048", "Bearer"))).toBe("string");
  });

  it("rejects spaces between parameters", () => {
    expect(typeof parseAuthorization(header.replaceAll(",", ", "))).toBe("string");
  });

  it("rejects a missing parameter", () => {
    expect(parseAuthorization(header.replace(/,signature="[^"]*"/, ""))).toMatch(/signature/);
  });

  it("rejects a repeated parameter", () => {
    expect(parseAuthorization(`${header},mchid="1"`)).toMatch(/twice/);
  });
});

describe("signing messages", () => {
  it("ends every request line with a newline", () => {
    const message = buildRequestMessage({ method: "GET", canonicalUrl: "/v3/certificates", timestamp: "1554208460", nonce: "593BEC0C930BF1AFEB40B4A08C8FB242", body: "" });

    expect(message).toBe("GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n");
  });

  it("keeps a trailing newline of the body", () => {
    expect(buildResponseMessage({ timestamp: "1", nonce: "n", body: "Hello World!\n" })).toBe("1\nn\nHello World!\n\n");
  });
});

describe("encryptResource", () => {
  it("decrypts with the APIv3 key and associated data", () => {
    const apiV3Key = "0123456789abcdefghijABCDEFGHIJ01";
    const resource = encryptResource({ apiV3Key, plaintext: '{"a":"支付成功"}', associatedData: "transaction" });

    expect(resource.nonce).toHaveLength(12);
    expect(decryptResource(apiV3Key, resource)).toBe('{"a":"支付成功"}');
  });

  it("fails authentication under other associated data", () => {
    const apiV3Key = "0123456789abcdefghijABCDEFGHIJ01";
    const resource = encryptResource({ apiV3Key, plaintext: "{}", associatedData: "transaction" });

    expect(() => decryptResource(apiV3Key, { ...resource, associated_data: "refund" })).toThrow();
  });

  it("rejects a key that is not 32 bytes", () => {
    expect(() => encryptResource({ apiV3Key: "short", plaintext: "{}", associatedData: "" })).toThrow(/32 bytes/);
  });
});

describe("clock formats", () => {
  it("writes China Standard Time", () => {
    expect(formatRfc3339(Date.UTC(2026, 6, 1, 2, 34, 56))).toBe("2026-07-01T10:34:56+08:00");
  });

  it("starts the day at Beijing midnight", () => {
    expect(shanghaiDay(Date.UTC(2026, 5, 30, 16, 0, 0))).toBe("20260701");
    expect(shanghaiDay(Date.UTC(2026, 5, 30, 15, 59, 59))).toBe("20260630");
  });
});
