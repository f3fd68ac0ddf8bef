import { describe, expect, it } from "vitest";

import {
  classifyRedPacketError,
  classifyTransportFailure,
  classifyV3Error,
  describeErrorCode,
  type ApiFamily,
  type CallEffect,
} from "../../../src/wechatpay/index.js";

describe("classifyV3Error", () => {
  const cases: Array<[ApiFamily, CallEffect, number, string | undefined, string, boolean]> = [
    ["voucher", "write", 400, "PARAM_ERROR", "definitive", false],
    ["voucher", "write", 400, "INVALID_REQUEST", "definitive", false],
    ["voucher", "write", 401, "SIGN_ERROR", "definitive", false],
    ["voucher", "write", 403, "NOT_ENOUGH", "definitive", false],
    ["voucher", "write", 403, "RULE_LIMIT", "definitive", false],
    ["voucher", "write", 403, "REQUEST_BLOCKED", "definitive", false],
    ["voucher", "write", 403, "USER_ACCOUNT_ABNORMAL", "definitive", false],
    ["voucher", "write", 400, "RESOURCE_ALREADY_EXISTS", "definitive", false],
    ["voucher", "write", 404, "RESOURCE_NOT_EXISTS", "definitive", false],
    ["voucher", "write", 429, "FREQUENCY_LIMIT_EXCEED", "retryable", true],
    ["voucher", "write", 429, "FREQUENCY_LIMITED", "retryable", true],
    ["voucher", "write", 500, "SYSTEM_ERROR", "retryable", true],
    ["payment", "write", 403, "OUT_TRADE_NO_USED", "definitive", false],
    ["payment", "write", 400, "ORDERPAID", "definitive", false],
    ["payment", "write", 500, "BANKERROR", "retryable", true],
    ["payment", "read", 404, "ORDER_NOT_EXIST", "definitive", false],
    ["refund", "write", 403, "NOT_ENOUGH", "retryable", false],
    ["refund", "write", 500, "SYSTEM_ERROR", "retryable", true],
    ["transfer", "write", 403, "NOT_ENOUGH", "retryable", false],
    ["transfer", "write", 500, "SYSTEM_ERROR", "unknown", false],
    ["transfer", "write", 502, undefined, "unknown", false],
    ["transfer", "write", 403, "USER_ERROR", "definitive", false],
    ["transfer", "write", 429, "FREQUENCY_LIMITED", "retryable", true],
    ["transfer", "read", 500, "SYSTEM_ERROR", "retryable", true],
    ["transfer", "write", 400, "SOMETHING_NEW", "unknown", false],
    ["voucher", "read", 400, "SOMETHING_NEW", "retryable", true],
    ["payment", "write", 503, undefined, "retryable", true],
    ["payment", "write", 429, undefined, "retryable", true],
  ];

  for (const [family, effect, status, code, outcome, autoRetry] of cases) {
    it(`${family} ${effect} ${status} ${code ?? "-"}`, () => {
      expect(classifyV3Error(family, effect, status, code)).toEqual({ outcome, autoRetry });
    });
  }
});

describe("classifyRedPacketError", () => {
  const sendCases: Array<[string | undefined, string, boolean]> = [
    ["SYSTEMERROR", "unknown", false],
    ["PROCESSING", "unknown", false],
    ["NOTENOUGH", "retryable", false],
    ["FREQ_LIMIT", "retryable", true],
    ["SENDNUM_LIMIT", "definitive", false],
    ["SENDNUMLIMIT", "definitive", false],
    ["RCVDAMOUNT_LIMIT", "definitive", false],
    ["SENDAMOUNT_LIMIT", "definitive", false],
    ["MONEY_LIMIT", "definitive", false],
    ["SEND_FAILED", "definitive", false],
    ["FATAL_ERROR", "definitive", false],
    ["NO_AUTH", "definitive", false],
    ["CA_ERROR", "definitive", false],
    ["TIME_LIMITED", "retryable", false],
    ["UNLISTED_CODE", "unknown", false],
    [undefined, "unknown", false],
  ];

  for (const [code, outcome, autoRetry] of sendCases) {
    it(`sendredpack ${code ?? "-"}`, () => {
      expect(classifyRedPacketError("sendredpack", code)).toEqual({ outcome, autoRetry });
    });
  }

  it("gethbinfo NOT_FOUND and SYSTEMERROR", () => {
    expect(classifyRedPacketError("gethbinfo", "NOT_FOUND")).toEqual({ outcome: "definitive", autoRetry: false });
    expect(classifyRedPacketError("gethbinfo", "SYSTEMERROR")).toEqual({ outcome: "retryable", autoRetry: true });
  });
});

describe("classifyTransportFailure", () => {
  it("writes that reached the server are unknown", () => {
    expect(classifyTransportFailure("TIMEOUT", "write", true)).toEqual({ outcome: "unknown", autoRetry: false });
    expect(classifyTransportFailure("CONNECTION_LOST", "write", true)).toEqual({ outcome: "unknown", autoRetry: false });
  });

  it("requests that never left are retryable", () => {
    expect(classifyTransportFailure("CONNECTION_FAILED", "write", false)).toEqual({ outcome: "retryable", autoRetry: true });
  });

  it("reads retry except on bad responses", () => {
    expect(classifyTransportFailure("TIMEOUT", "read", true)).toEqual({ outcome: "retryable", autoRetry: true });
    expect(classifyTransportFailure("RESPONSE_SIGNATURE_INVALID", "read", true)).toEqual({ outcome: "retryable", autoRetry: false });
  });
});

describe("describeErrorCode", () => {
  it("names documented codes only", () => {
    expect(describeErrorCode("voucher", "NOT_ENOUGH")).toMatch(/budget/);
    expect(describeErrorCode("sendredpack", "SENDNUMLIMIT")).toMatch(/daily/);
    expect(describeErrorCode("payment", "NOPE")).toBeUndefined();
  });
});
