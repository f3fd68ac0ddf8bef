import { describe, expect, it } from "vitest";

import { buildV2Xml, parseV2Xml } from "../../../src/wechatpay/index.js";

describe("parseV2Xml", () => {
  it("keeps values as strings", () => {
    const fields = parseV2Xml("<xml><total_amount>0100</total_amount><flag>true</flag><name><![CDATA[ 红包 ]]></name></xml>");
    expect(fields).toEqual({ total_amount: "0100", flag: "true", name: " 红包 " });
  });

  it("decodes only the predefined entities", () => {
    expect(parseV2Xml("<xml><a>x &amp; y &lt;z&gt;</a><b>&nbsp;</b></xml>")).toEqual({ a: "x & y <z>", b: "&nbsp;" });
  });

  it("rejects a DOCTYPE with entities", () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><a>&xxe;</a></xml>';
    expect(() => parseV2Xml(xxe)).toThrow(/DOCTYPE/);
  });

  it("rejects entity expansion bombs", () => {
    const bomb = '<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><xml><v>&b;</v></xml>';
    expect(() => parseV2Xml(bomb)).toThrow();
  });

  it("rejects a document without an xml root", () => {
    expect(() => parseV2Xml("<root><a>1</a></root>")).toThrow(/<xml>/);
    expect(() => parseV2Xml("not xml")).toThrow();
  });
});

describe("buildV2Xml", () => {
  it("skips undefined fields and round-trips", () => {
    const xml = buildV2Xml({ a: "1", b: undefined, c: "中文 & <tag>" });
    expect(xml).not.toContain("<b>");
    expect(parseV2Xml(xml)).toEqual({ a: "1", c: "中文 & <tag>" });
  });

  it("rejects unsafe element names", () => {
    expect(() => buildV2Xml({ "a><b": "1" })).toThrow();
  });
});
